// The MCP server core: JSON-RPC 2.0 over the Streamable HTTP transport's rules (POST, GET and
// DELETE at one endpoint), sessions, and tools from a ToolRegistry. Transport-agnostic: given
// an HTTP method, headers and body it produces the reply; docs/mcp.md describes the behaviour.
// All server state lives on one strand of the given executor; handle() may be called from any
// coroutine, concurrently. The Server must outlive the replies' stream coroutines it returned.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "mcp/exchange.hpp"
#include "mcp/tool.hpp"
#include "mcp/tool_registry.hpp"

namespace stork::mcp {

struct ServerInfo {
  std::string name = "storkit";
  std::string version;
  std::string instructions;
};

struct Options {
  std::size_t max_body_bytes = 4 << 20;  // also enforced by the transport
  std::size_t max_batch = 100;
  // Sessions not used for this long are gone (404). Milliseconds so tests can use short ones;
  // std::chrono::minutes converts implicitly.
  std::chrono::milliseconds session_idle_timeout{std::chrono::minutes{60}};
  // Interval of keep-alive comments on open SSE streams (GET streams and long tool calls).
  std::chrono::milliseconds stream_keepalive{std::chrono::seconds{15}};
  // How often an open stream checks whether its client is gone or its session ended.
  std::chrono::milliseconds stream_poll{100};
};

// The protocol versions this server speaks, newest first.
inline constexpr std::string_view kLatestProtocolVersion = "2025-11-25";
bool is_supported_protocol_version(std::string_view version);

class Server {
 public:
  Server(const boost::asio::any_io_executor& executor, ServerInfo info,
         std::shared_ptr<ToolRegistry> tools, Options options = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // POST / GET / DELETE of the Streamable HTTP transport at one endpoint; any other method
  // gets 405.
  boost::asio::awaitable<Reply> handle(HttpExchange exchange);

  // In-process call for stork's own API runtimes: the same validation and results as
  // tools/call, no session (an unknown tool is an isError result here).
  boost::asio::awaitable<ToolResult> call_tool(std::string name, boost::json::value arguments);

  // notifications/message on every session's GET stream whose level admits `level`: for
  // server events not tied to a request. Callable from any thread.
  void notify_log(std::string_view level, std::string message);

  // Sessions in the table, including expired ones not yet swept (the sweep runs on each
  // request).
  std::size_t session_count() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace stork::mcp
