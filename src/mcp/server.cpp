#include "mcp/server.hpp"

#include <cctype>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "mcp/jsonrpc.hpp"
#include "mcp/protocol_rules.hpp"
#include "mcp/replies.hpp"
#include "mcp/server_state.hpp"
#include "mcp/tool_call.hpp"

namespace stork::mcp {
namespace {

namespace asio = boost::asio;

asio::awaitable<Reply> handle_on_strand(std::shared_ptr<ServerState> state, HttpExchange exchange) {
  if (!exchange.header) exchange.header = [](std::string_view) { return std::string(); };
  if (exchange.method == "POST") {
    auto work = handle_post(state, std::move(exchange));
    Reply reply = co_await std::move(work);
    co_return reply;
  }
  if (exchange.method == "GET") {
    auto work = handle_get(state, std::move(exchange));
    Reply reply = co_await std::move(work);
    co_return reply;
  }
  if (exchange.method == "DELETE") co_return handle_delete(*state, exchange);
  Reply reply = error_reply(405, jsonrpc::kInvalidRequest,
                            "Method Not Allowed: " + exchange.method +
                                "; the MCP endpoint takes POST (messages), GET (an SSE stream) "
                                "and DELETE (end the session)");
  reply.headers.emplace_back("Allow", "GET, POST, DELETE");
  co_return reply;
}

asio::awaitable<ToolResult> call_on_strand(std::shared_ptr<ServerState> state, std::string name,
                                           boost::json::value arguments) {
  auto tool = state->tools->get(name);
  if (!tool) {
    co_return ToolResult::error("Unknown tool: " + name + " (the registry has no such tool)");
  }
  auto call = std::make_shared<detail::CallState>(state->strand, nullptr, nullptr, nullptr,
                                                  state->info.name);
  ToolContext context(call);
  auto work = run_tool(tool, std::move(arguments), context);
  ToolResult result = co_await std::move(work);
  co_return result;
}

}  // namespace

std::string Reply::header(std::string_view name) const {
  auto same = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(a[i])) !=
          std::tolower(static_cast<unsigned char>(b[i]))) {
        return false;
      }
    }
    return true;
  };
  for (const auto& [key, value] : headers) {
    if (same(key, name)) return value;
  }
  return {};
}

Server::Server(const boost::asio::any_io_executor& executor, ServerInfo info,
               std::shared_ptr<ToolRegistry> tools, Options options)
    : state_(std::make_shared<State>(asio::make_strand(executor), std::move(info), std::move(tools),
                                     options)) {
  std::weak_ptr<State> weak = state_;
  state_->listener = state_->tools->add_listener([weak] {
    auto state = weak.lock();
    if (!state) return;
    asio::post(state->strand, [state] {
      state->tools_list_text.reset();
      broadcast_tools_changed(*state);
    });
  });
}

Server::~Server() {
  state_->tools->remove_listener(state_->listener);
  state_->stopping = true;  // open streams see it at their next poll and end
  // Running calls are told to stop; their answers have nowhere to go.
  asio::post(state_->strand, [state = state_] {
    state->sessions.for_each([](Session& session) { session.end(); });
  });
}

asio::awaitable<Reply> Server::handle(HttpExchange exchange) {
  auto state = state_;
  auto work = handle_on_strand(state, std::move(exchange));
  Reply reply = co_await asio::co_spawn(state->strand, std::move(work), asio::use_awaitable);
  co_return reply;
}

asio::awaitable<ToolResult> Server::call_tool(std::string name, boost::json::value arguments) {
  auto state = state_;
  auto work = call_on_strand(state, std::move(name), std::move(arguments));
  ToolResult result = co_await asio::co_spawn(state->strand, std::move(work), asio::use_awaitable);
  co_return result;
}

void Server::notify_log(std::string_view level, std::string message) {
  auto rank = log_level_rank(level);
  boost::json::object params{{"level", rank ? std::string(level) : std::string("info")},
                             {"logger", state_->info.name},
                             {"data", std::move(message)}};
  auto note = jsonrpc::notification("notifications/message", std::move(params));
  asio::post(state_->strand, [state = state_, rank = rank.value_or(kDefaultLogRank), note] {
    broadcast_log(*state, rank, note);
  });
}

std::size_t Server::session_count() const {
  return state_->session_count.load();
}

}  // namespace stork::mcp
