#include "test_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/use_future.hpp>

namespace stork::http::testing {

namespace asio = boost::asio;

TestServer::TestServer(ServerOptions options, Router router, std::shared_ptr<Metrics> metrics)
    : metrics_(std::move(metrics)) {
  options.port = 0;
  server_ =
      std::make_unique<Server>(io_.get_executor(), std::move(options), std::move(router), metrics_);
}

TestServer::~TestServer() {
  if (!threads_.empty() && !stopped_) stop(std::chrono::milliseconds(2000));
  io_.stop();
  for (auto& thread : threads_)
    thread.join();
  server_.reset();
}

bool TestServer::start() {
  auto started = server_->start();
  if (!started.ok()) {
    error_ = started.error();
    return false;
  }
  for (int i = 0; i < 2; ++i) {
    threads_.emplace_back([this] {
      auto guard = asio::make_work_guard(io_);
      io_.run();
    });
  }
  return true;
}

std::chrono::milliseconds TestServer::stop(std::chrono::milliseconds grace) {
  stopped_ = true;
  auto begin = std::chrono::steady_clock::now();
  asio::co_spawn(io_, server_->stop(grace), asio::use_future).get();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               begin);
}

Handler reply_with(std::string body) {
  return [body](Request&) -> asio::awaitable<Response> { co_return Response::json(200, body); };
}

}  // namespace stork::http::testing
