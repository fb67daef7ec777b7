// libFuzzer target: arbitrary bytes as the body of a POST to the MCP endpoint
// (mcp::Server::handle), in an initialized session, with the reply's SSE stream run to its end.
// The body comes from any local process that can reach the port, so nothing in it may crash
// the server or make it answer outside the protocol.
//
// Invariants checked (a violation traps): handle() never throws; the status is one the
// transport rules allow for a POST; 202 has no body; every other body is JSON-RPC (an object,
// or an array of objects, each with "jsonrpc": "2.0" and either "result" or "error" with an
// integer code); every SSE event is one such JSON-RPC message (or a notification).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "fuzz_check.hpp"
#include "mcp/server.hpp"

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace stork::mcp;

class CollectingSink : public SseSink {
 public:
  bool send(std::string message, std::string) override {
    messages.push_back(std::move(message));
    return true;
  }
  bool keep_alive() override { return true; }
  bool closed() const override { return false; }
  std::vector<std::string> messages;
};

std::shared_ptr<ToolRegistry> make_tools() {
  auto registry = std::make_shared<ToolRegistry>();
  Tool echo;
  echo.name = "echo";
  echo.input_schema = json::parse(R"({"type": "object", "properties": {
      "text": {"type": "string", "pattern": "^[a-z ]*$", "maxLength": 64},
      "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 3},
      "n": {"type": ["integer", "null"], "minimum": 0}},
      "required": ["text"], "additionalProperties": false})")
                          .as_object();
  echo.handler = [](const json::object& args, ToolContext& context) -> asio::awaitable<ToolResult> {
    context.progress(1, 2, "half");
    context.log("info", "echoing");
    co_return ToolResult::ok(std::string(args.at("text").as_string()));
  };
  registry->add(std::move(echo));
  Tool object;
  object.name = "object";
  object.handler = [](const json::object& args, ToolContext&) -> asio::awaitable<ToolResult> {
    co_return ToolResult::ok_json(json::value(args));
  };
  registry->add(std::move(object));
  return registry;
}

template <class T>
T run(asio::io_context& io, asio::awaitable<T> operation) {
  std::optional<T> result;
  bool threw = false;
  asio::co_spawn(io, std::move(operation), [&](std::exception_ptr error, T value) {
    threw = error != nullptr;
    result.emplace(std::move(value));
  });
  io.restart();
  io.run();
  FUZZ_CHECK(!threw);
  FUZZ_CHECK(result.has_value());
  return std::move(*result);
}

HttpExchange post(std::string body, std::string session) {
  HttpExchange exchange;
  exchange.method = "POST";
  exchange.body = std::move(body);
  exchange.header = [session](std::string_view name) -> std::string {
    if (name == "content-type") return "application/json";
    if (name == "accept") return "application/json, text/event-stream";
    if (name == "mcp-session-id") return session;
    if (name == "mcp-protocol-version") return "2025-11-25";
    return {};
  };
  return exchange;
}

void check_message(const json::value& message, bool in_stream) {
  FUZZ_CHECK(message.is_object());
  const json::object& object = message.get_object();
  FUZZ_CHECK(object.contains("jsonrpc") && object.at("jsonrpc") == "2.0");
  if (in_stream && object.contains("method")) return;  // a notification before the result
  FUZZ_CHECK(object.contains("id"));
  FUZZ_CHECK(object.contains("result") != object.contains("error"));
  if (object.contains("error")) {
    FUZZ_CHECK(object.at("error").is_object());
    FUZZ_CHECK(object.at("error").at("code").is_int64());
  }
}

json::value parse_or_trap(const std::string& text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  FUZZ_CHECK(!error);
  return value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  asio::io_context io;
  // A fresh server per input: sessions that initialize bodies create do not pile up.
  Server server(io.get_executor(), ServerInfo{"fuzz", "0", ""}, make_tools());
  Reply init = run(io, server.handle(post(
                           R"({"jsonrpc":"2.0","id":0,"method":"initialize",
                               "params":{"protocolVersion":"2025-11-25"}})",
                           "")));
  std::string session = init.header("Mcp-Session-Id");
  FUZZ_CHECK(!session.empty());

  std::string body(reinterpret_cast<const char*>(data), size);
  Reply reply = run(io, server.handle(post(std::move(body), session)));
  const unsigned status = reply.status;
  FUZZ_CHECK(status == 200 || status == 202 || status == 400 || status == 413);
  if (status == 202) {
    FUZZ_CHECK(reply.body.empty() && !reply.stream);
    return 0;
  }
  if (reply.stream) {
    auto sink = std::make_shared<CollectingSink>();
    asio::co_spawn(io, reply.stream(sink), [](std::exception_ptr error) { FUZZ_CHECK(!error); });
    io.restart();
    io.run();
    for (const auto& message : sink->messages)
      check_message(parse_or_trap(message), true);
    return 0;
  }
  json::value parsed = parse_or_trap(reply.body);
  if (parsed.is_array()) {
    FUZZ_CHECK(!parsed.get_array().empty());
    for (const auto& message : parsed.get_array())
      check_message(message, false);
  } else {
    check_message(parsed, false);
  }
  return 0;
}
