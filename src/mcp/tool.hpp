// A tool of the MCP server: its description for tools/list, its handler, and the two values a
// handler deals in: the ToolResult it returns and the ToolContext it may report through.
// Transport-agnostic: the handler never sees HTTP; the server wires ToolContext to the caller's
// SSE stream when there is one and to nothing otherwise.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace stork::mcp {

namespace json = boost::json;

// The content of a tools/call result: text blocks, optional structured content, and whether
// the tool failed. A failed result is still a result (the model reads it and can correct
// itself), not a JSON-RPC error.
struct ToolResult {
  std::vector<std::string> text;          // each becomes {"type":"text","text":...}
  std::optional<json::value> structured;  // structuredContent, when the tool has an output schema
  bool is_error = false;

  static ToolResult ok(std::string text);
  // text = the serialized value; structured = the value when it is an object (the spec's
  // structuredContent is an object; other values travel as text only).
  static ToolResult ok_json(json::value value);
  static ToolResult error(std::string message);
};

// Who a tools/call says it comes from: the X-Stork-Agent and X-Stork-Story headers that stork
// writes into the MCP configuration of the agents it starts (git/worktree_mcp_config.hpp).
// A claim, not authentication (any client that may call tools may send them); empty for
// in-process calls and for clients that send neither.
struct CallerIdentity {
  std::string agent;
  std::string story;
};

namespace detail {
struct CallState;
}

// What a tool can do while it runs. Owned by the server for the duration of one call; the
// handler receives it by reference and must not keep it beyond its own return. progress() and
// log() may be called from any thread; the cancellation signal is emitted on the server's
// strand, so bind the slot to operations that complete there (plain co_await in the handler).
class ToolContext {
 public:
  explicit ToolContext(std::shared_ptr<detail::CallState> state);
  ~ToolContext();
  ToolContext(const ToolContext&) = delete;
  ToolContext& operator=(const ToolContext&) = delete;

  // Empty for in-process calls (Server::call_tool).
  const std::string& session_id() const;
  const CallerIdentity& caller() const;
  // notifications/progress to the caller when it sent a progressToken and reads an SSE stream;
  // a no-op otherwise.
  void progress(double progress, std::optional<double> total, std::string_view message = {});
  // notifications/message (logger = the server's name) when `level` is at or above the
  // session's logging/setLevel level (default "info") and the caller reads an SSE stream.
  // Levels: debug info notice warning error critical alert emergency; others count as info.
  void log(std::string_view level, std::string message);
  // True once the client cancelled (notifications/cancelled) or disconnected (SSE closed).
  bool cancelled() const;
  // Emitted (terminal) when cancelled() becomes true; for awaiting long operations.
  boost::asio::cancellation_slot cancellation_slot();

 private:
  std::shared_ptr<detail::CallState> state_;
};

using ToolHandler =
    std::function<boost::asio::awaitable<ToolResult>(const json::object& args, ToolContext& ctx)>;

struct Tool {
  std::string name, title, description;
  json::object input_schema;  // JSON Schema (type: object); see validate_arguments
  std::optional<json::object> output_schema;
  bool read_only = false, destructive = false, idempotent = false;  // -> annotations hints
  ToolHandler handler;
};

}  // namespace stork::mcp
