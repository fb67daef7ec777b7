#include "mcp_test_support.hpp"

#include <algorithm>
#include <cctype>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

namespace stork::mcp::testing {

namespace asio = boost::asio;
using namespace std::chrono_literals;

bool RecordingSink::send(std::string json_message, std::string event_id) {
  std::lock_guard lock(mutex_);
  if (closed_) return false;
  raw_.push_back(std::move(json_message));
  ids_.push_back(std::move(event_id));
  return true;
}

bool RecordingSink::keep_alive() {
  std::lock_guard lock(mutex_);
  if (closed_) return false;
  ++keep_alives_;
  return true;
}

bool RecordingSink::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void RecordingSink::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
}

std::vector<json::value> RecordingSink::messages() const {
  std::lock_guard lock(mutex_);
  std::vector<json::value> parsed;
  for (const auto& raw : raw_)
    parsed.push_back(json::parse(raw));
  return parsed;
}

std::vector<std::string> RecordingSink::event_ids() const {
  std::lock_guard lock(mutex_);
  return ids_;
}

int RecordingSink::keep_alives() const {
  std::lock_guard lock(mutex_);
  return keep_alives_;
}

std::optional<json::value> RecordingSink::wait_for(
    const std::function<bool(const json::value&)>& match, std::chrono::milliseconds timeout) {
  std::optional<json::value> found;
  eventually(
      [&] {
        for (auto& message : messages()) {
          if (match(message)) {
            found = message;
            return true;
          }
        }
        return false;
      },
      timeout);
  return found;
}

bool has_method(const json::value& message, std::string_view method) {
  const auto* found = message.as_object().if_contains("method");
  return found && found->is_string() && found->get_string() == method;
}

bool is_response_to(const json::value& message, const json::value& id) {
  const auto* found = message.as_object().if_contains("id");
  return found && *found == id && !message.as_object().contains("method");
}

HttpExchange make_exchange(std::string method, std::string body, Headers headers) {
  Headers lowered;
  for (auto& [name, value] : headers) {
    std::string key = name;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    lowered[key] = value;
  }
  HttpExchange exchange;
  exchange.method = std::move(method);
  exchange.body = std::move(body);
  exchange.header = [lowered](std::string_view name) {
    std::string key(name);
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto it = lowered.find(key);
    return it == lowered.end() ? std::string() : it->second;
  };
  return exchange;
}

McpServerTest::McpServerTest() : work_(io_.get_executor()) {
  register_tools();
  thread_ = std::thread([this] { io_.run(); });
}

McpServerTest::~McpServerTest() {
  server_.reset();  // open streams end at their next poll, running calls are cancelled
  work_.reset();
  thread_.join();
}

Server& McpServerTest::server() {
  if (!server_) {
    ServerInfo info;
    info.name = "storkit";
    info.version = "0.1.0-test";
    info.instructions = "Use the tools.";
    server_ = std::make_unique<Server>(io_.get_executor(), info, registry_, options_);
  }
  return *server_;
}

Reply McpServerTest::send(HttpExchange exchange) {
  Server& target = server();
  return asio::co_spawn(io_, target.handle(std::move(exchange)), asio::use_future).get();
}

Reply McpServerTest::post(std::string body, Headers headers) {
  headers.emplace("Content-Type", "application/json");
  headers.emplace("Accept", "application/json, text/event-stream");
  return send(make_exchange("POST", std::move(body), std::move(headers)));
}

Reply McpServerTest::post_in_session(const std::string& session, std::string body, Headers extra) {
  extra.emplace("Mcp-Session-Id", session);
  extra.emplace("MCP-Protocol-Version", "2025-11-25");
  return post(std::move(body), std::move(extra));
}

Reply McpServerTest::get(Headers headers) {
  return send(make_exchange("GET", "", std::move(headers)));
}

Reply McpServerTest::del(Headers headers) {
  return send(make_exchange("DELETE", "", std::move(headers)));
}

std::string McpServerTest::open_session() {
  Reply init = post(request(0, "initialize",
                            R"({"protocolVersion": "2025-11-25", "capabilities": {},
                                "clientInfo": {"name": "test", "version": "1"}})"));
  EXPECT_EQ(init.status, 200u) << init.body;
  std::string session = init.header("Mcp-Session-Id");
  EXPECT_FALSE(session.empty());
  Reply initialized =
      post_in_session(session, R"({"jsonrpc": "2.0", "method": "notifications/initialized"})");
  EXPECT_EQ(initialized.status, 202u) << initialized.body;
  return session;
}

std::future<void> McpServerTest::start_stream(const Reply& reply,
                                              std::shared_ptr<RecordingSink> sink) {
  EXPECT_TRUE(reply.stream) << "not an SSE reply: " << reply.status << " " << reply.body;
  return asio::co_spawn(io_, reply.stream(std::move(sink)), asio::use_future);
}

json::value McpServerTest::body_of(const Reply& reply) {
  return json::parse(reply.body);
}

std::string McpServerTest::request(int id, std::string_view method, std::string_view params) {
  return R"({"jsonrpc": "2.0", "id": )" + std::to_string(id) + R"(, "method": ")" +
         std::string(method) + R"(", "params": )" + std::string(params) + "}";
}

std::string McpServerTest::tool_call(int id, std::string_view tool, std::string_view arguments,
                                     std::string_view meta) {
  std::string params =
      R"({"name": ")" + std::string(tool) + R"(", "arguments": )" + std::string(arguments);
  if (!meta.empty()) params += R"(, "_meta": )" + std::string(meta);
  return request(id, "tools/call", params + "}");
}

namespace {

json::object object_of(std::string_view text) {
  return json::parse(text).as_object();
}

asio::awaitable<ToolResult> report_progress(const json::object&, ToolContext& context) {
  context.progress(1, 3, "first");
  context.progress(2, 3);
  context.log("debug", "a debug line");
  context.log("warning", "a warning line");
  context.progress(3, 3, "last");
  co_return ToolResult::ok("done");
}

}  // namespace

void McpServerTest::register_tools() {
  Tool echo;
  echo.name = "echo";
  echo.title = "Echo";
  echo.description = "Returns its text.";
  echo.input_schema = object_of(R"({"type": "object",
      "properties": {"text": {"type": "string"}, "times": {"type": "integer", "minimum": 1}},
      "required": ["text"], "additionalProperties": false})");
  echo.read_only = true;
  echo.idempotent = true;
  echo.handler = [](const json::object& args, ToolContext&) -> asio::awaitable<ToolResult> {
    co_return ToolResult::ok(std::string(args.at("text").as_string()));
  };
  registry_->add(std::move(echo));

  Tool sum;
  sum.name = "sum";
  sum.description = "Adds two integers.";
  sum.input_schema = object_of(R"({"type": "object", "properties": {"a": {"type": "integer"},
      "b": {"type": "integer"}}, "required": ["a", "b"]})");
  sum.output_schema = object_of(R"({"type": "object", "properties": {"sum": {"type": "integer"}},
      "required": ["sum"]})");
  sum.handler = [](const json::object& args, ToolContext&) -> asio::awaitable<ToolResult> {
    json::object out{
        {"sum", args.at("a").to_number<std::int64_t>() + args.at("b").to_number<std::int64_t>()}};
    co_return ToolResult::ok_json(out);
  };
  registry_->add(std::move(sum));

  Tool refuse;
  refuse.name = "refuse";
  refuse.description = "Always fails.";
  refuse.destructive = true;
  refuse.handler = [](const json::object&, ToolContext&) -> asio::awaitable<ToolResult> {
    co_return ToolResult::error("story 9 does not exist; call list_stories for the ids");
  };
  registry_->add(std::move(refuse));

  Tool explode;
  explode.name = "explode";
  explode.description = "Throws.";
  explode.handler = [](const json::object&, ToolContext&) -> asio::awaitable<ToolResult> {
    throw std::runtime_error("boom");
    co_return ToolResult::ok("unreachable");
  };
  registry_->add(std::move(explode));

  Tool progress;
  progress.name = "progress";
  progress.description = "Reports progress and logs, then returns.";
  progress.handler = report_progress;
  registry_->add(std::move(progress));

  // Waits up to 20 s for cancellation through the context's slot.
  Tool wait;
  wait.name = "wait";
  wait.description = "Waits until cancelled.";
  wait.handler = [this](const json::object&, ToolContext& context) -> asio::awaitable<ToolResult> {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(20s);
    wait_started_ = true;
    bool aborted = false;
    try {
      co_await timer.async_wait(
          asio::bind_cancellation_slot(context.cancellation_slot(), asio::use_awaitable));
    } catch (const boost::system::system_error&) {
      aborted = true;
    }
    saw_cancel_ = aborted;
    saw_cancel_flag_ = context.cancelled();
    co_return ToolResult::ok(aborted ? "cancelled" : "timed out");
  };
  registry_->add(std::move(wait));
}

}  // namespace stork::mcp::testing
