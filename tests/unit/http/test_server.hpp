// A Server on 127.0.0.1, port 0, run by two threads (so strands matter), stopped when the test
// ends. Plus small helpers to poll for a condition with a deadline.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "http/server.hpp"
#include "support/eventually.hpp"

namespace stork::http::testing {

class TestServer {
 public:
  TestServer(ServerOptions options, Router router,
             std::shared_ptr<Metrics> metrics = std::make_shared<Metrics>());
  ~TestServer();

  // Starts listening and the threads; false (with error()) if start() failed.
  bool start();
  const std::string& error() const { return error_; }
  unsigned short port() const { return server_->bound_port(); }
  Server& server() { return *server_; }
  Metrics& metrics() { return *metrics_; }
  // Runs Server::stop on the io_context and returns how long it took.
  std::chrono::milliseconds stop(std::chrono::milliseconds grace);

 private:
  boost::asio::io_context io_;
  std::shared_ptr<Metrics> metrics_;
  std::unique_ptr<Server> server_;
  std::vector<std::thread> threads_;
  std::string error_;
  bool stopped_ = false;
};

using stork::testing::eventually;

// A handler that answers 200 with `body`.
Handler reply_with(std::string body);

}  // namespace stork::http::testing
