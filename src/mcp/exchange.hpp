// The boundary between the MCP server and whatever carries HTTP: one request in (HttpExchange),
// one reply out (Reply), and for streamed replies a sink the transport turns into SSE events.
// Nothing here knows sockets or Beast; the app adapts these onto its HTTP server.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

namespace stork::mcp {

struct HttpExchange {
  std::string method;                                   // POST, GET, DELETE, other
  std::function<std::string(std::string_view)> header;  // case-insensitive, "" if absent
  std::string body;
};

// Where a streamed reply goes. The transport writes each send() as one SSE event (data = one
// JSON-RPC message, `id:` line when event_id is not empty) in order, and keep_alive() as an
// SSE comment line (": keep-alive"). Implementations must be safe to call from any thread.
// send() and keep_alive() return false once the client is gone; closed() turns true then.
class SseSink {
 public:
  virtual ~SseSink() = default;
  virtual bool send(std::string json_message, std::string event_id) = 0;
  virtual bool keep_alive() = 0;
  virtual bool closed() const = 0;
};

struct Reply {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // Mcp-Session-Id, Allow, ...
  // Empty for replies without a body (202 Accepted, DELETE): send no Content-Type then.
  std::string content_type = "application/json";
  std::string body;  // JSON replies and errors
  // Set for SSE replies (content_type "text/event-stream"): the transport sends the status and
  // headers, then runs this coroutine with its sink; the response ends when it returns.
  std::function<boost::asio::awaitable<void>(std::shared_ptr<SseSink>)> stream;

  // The header's value, "" if absent (case-insensitive name).
  std::string header(std::string_view name) const;
};

}  // namespace stork::mcp
