// GET and DELETE at the MCP endpoint: the session's one standing SSE stream (server messages
// not tied to a request: tools/list_changed, server log messages, keep-alives) and the end of
// a session.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "mcp/jsonrpc.hpp"
#include "mcp/replies.hpp"
#include "mcp/server_state.hpp"
#include "mcp/stream_channel.hpp"

namespace stork::mcp {
namespace {

namespace asio = boost::asio;

asio::awaitable<void> get_stream_on_strand(std::shared_ptr<ServerState> state,
                                           std::shared_ptr<Session> session,
                                           std::shared_ptr<SseSink> sink) {
  // Two GETs may pass the check in handle_get before either starts: the later one ends here.
  if (session->ended || session->has_live_get_stream()) co_return;
  auto channel = std::make_shared<StreamChannel>(std::move(sink));
  session->get_stream = channel;
  asio::steady_timer timer(state->strand);
  auto last_keepalive = Clock::now();
  for (;;) {
    timer.expires_after(state->options.stream_poll);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    asio::cancellation_state cancellation = co_await asio::this_coro::cancellation_state;
    if (cancellation.cancelled() != asio::cancellation_type::none || channel->gone() ||
        session->ended || state->stopping) {
      break;
    }
    auto now = Clock::now();
    session->last_seen = now;  // a listening client is using its session
    if (now - last_keepalive >= state->options.stream_keepalive) {
      channel->keep_alive();
      last_keepalive = now;
    }
  }
  if (session->get_stream == channel) session->get_stream.reset();
}

asio::awaitable<void> run_get_stream(std::shared_ptr<ServerState> state,
                                     std::shared_ptr<Session> session,
                                     std::shared_ptr<SseSink> sink) {
  auto body = get_stream_on_strand(state, std::move(session), std::move(sink));
  co_await asio::co_spawn(state->strand, std::move(body), asio::use_awaitable);
}

}  // namespace

asio::awaitable<Reply> handle_get(std::shared_ptr<ServerState> state, HttpExchange exchange) {
  SessionCheck check = require_session(*state, exchange, 405);
  if (check.failure) co_return std::move(*check.failure);
  if (!parse_accept(exchange.header("accept")).sse) {
    co_return error_reply(
        406, jsonrpc::kInvalidRequest,
        "Not Acceptable: GET opens an SSE stream; send Accept: text/event-stream");
  }
  if (check.session->has_live_get_stream()) {
    co_return error_reply(409, jsonrpc::kInvalidRequest,
                          "Conflict: this session already has an open GET stream (each server "
                          "message goes to one stream only); close it before opening another");
  }
  Reply reply;
  reply.content_type = "text/event-stream";
  reply.stream = [state, session = check.session](std::shared_ptr<SseSink> sink) {
    return run_get_stream(state, session, std::move(sink));
  };
  co_return reply;
}

Reply handle_delete(ServerState& state, const HttpExchange& exchange) {
  SessionCheck check = require_session(state, exchange, 400);
  if (check.failure) return std::move(*check.failure);
  state.sessions.erase(check.session->id);
  state.sync_session_count();
  return empty_reply(200);
}

void broadcast_tools_changed(ServerState& state) {
  auto message = jsonrpc::notification("notifications/tools/list_changed", {});
  state.sessions.for_each([&](Session& session) {
    if (session.has_live_get_stream()) session.get_stream->send(message);
  });
}

void broadcast_log(ServerState& state, int rank, const boost::json::value& message) {
  state.sessions.for_each([&](Session& session) {
    if (session.has_live_get_stream() && rank >= session.log_rank) {
      session.get_stream->send(message);
    }
  });
}

}  // namespace stork::mcp
