// Drives an mcp::Server the way a transport would: an io_context on its own thread, exchanges
// built by hand, SSE replies run against a recording sink. The fixture registers a few tools
// whose behaviour the tests pin (echo, sum, failing, throwing, progress, waiting).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include "mcp/server.hpp"
#include "support/eventually.hpp"

namespace stork::mcp::testing {

namespace json = boost::json;
using Headers = std::map<std::string, std::string>;

using stork::testing::eventually;

// Records what the server streams; close() plays the client hanging up.
class RecordingSink : public SseSink {
 public:
  bool send(std::string json_message, std::string event_id) override;
  bool keep_alive() override;
  bool closed() const override;

  void close();
  std::vector<json::value> messages() const;
  std::vector<std::string> event_ids() const;
  int keep_alives() const;
  // Waits until a message satisfies `match`; returns it.
  std::optional<json::value> wait_for(const std::function<bool(const json::value&)>& match,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(3));

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> raw_;
  std::vector<std::string> ids_;
  int keep_alives_ = 0;
  bool closed_ = false;
};

// True for a JSON-RPC message with that method / that response id.
bool has_method(const json::value& message, std::string_view method);
bool is_response_to(const json::value& message, const json::value& id);

class McpServerTest : public ::testing::Test {
 protected:
  McpServerTest();
  ~McpServerTest() override;

  // The server is built on first use, so a test can set options_ first.
  Server& server();
  void destroy_server() { server_.reset(); }

  Reply send(HttpExchange exchange);
  Reply post(std::string body, Headers headers = {});  // Content-Type JSON, Accept both
  // POST with the session header (and MCP-Protocol-Version 2025-11-25).
  Reply post_in_session(const std::string& session, std::string body, Headers extra = {});
  Reply get(Headers headers);
  Reply del(Headers headers);

  // initialize + notifications/initialized; returns the session id.
  std::string open_session();

  // Runs an SSE reply's stream against `sink`; the future is ready when the stream ends.
  std::future<void> start_stream(const Reply& reply, std::shared_ptr<RecordingSink> sink);

  static json::value body_of(const Reply& reply);
  static std::string request(int id, std::string_view method, std::string_view params = "{}");
  static std::string tool_call(int id, std::string_view tool, std::string_view arguments,
                               std::string_view meta = {});

  Options options_;
  std::shared_ptr<ToolRegistry> registry_ = std::make_shared<ToolRegistry>();
  // Set by the tools that watch for cancellation.
  std::atomic<bool> wait_started_{false};
  std::atomic<bool> saw_cancel_{false};
  std::atomic<bool> saw_cancel_flag_{false};

 private:
  void register_tools();

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
  std::unique_ptr<Server> server_;
};

HttpExchange make_exchange(std::string method, std::string body, Headers headers);

}  // namespace stork::mcp::testing
