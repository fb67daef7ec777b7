// The WebSocket half of streams.hpp: a reader (this coroutine) calling on_message and a writer
// coroutine draining the client's queue, both on the connection's strand.
#include <exception>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <spdlog/spdlog.h>

#include "http/connection_control.hpp"
#include "http/server_core.hpp"
#include "http/streams.hpp"
#include "http/wake_signal.hpp"
#include "http/ws_client_access.hpp"

namespace stork::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// The app's callbacks must not take the connection down with them.
template <class Callback, class... Args>
void call_safely(const char* what, const Callback& callback, Args&&... args) {
  if (!callback) return;
  try {
    callback(std::forward<Args>(args)...);
  } catch (const std::exception& error) {
    spdlog::error("http: WebSocket {} handler threw: {}", what, error.what());
  } catch (...) {
    spdlog::error("http: WebSocket {} handler threw", what);
  }
}

template <class Stream>
struct Session {
  websocket::stream<Stream> ws;
  std::shared_ptr<WsClient> client;
  WsHandler handler;
  std::shared_ptr<WakeSignal> wake;        // the writer waits on it for work
  std::shared_ptr<WakeSignal> writer_end;  // the reader waits on it for the writer to finish
  bool writer_done = false;
};

template <class Stream>
asio::awaitable<void> write_loop(Session<Stream>& session) {
  while (true) {
    WsClientAccess::Work work = WsClientAccess::take(*session.client);
    if (work.closed) break;
    if (work.report_overflow)
      call_safely("on_overflow", session.handler.on_overflow, session.client);
    bool failed = false;
    for (const std::string& message : work.messages) {
      session.ws.text(true);
      auto [error, bytes] = co_await session.ws.async_write(asio::buffer(message), tuple_awaitable);
      if (error) {
        failed = true;
        break;
      }
      WsClientAccess::written(*session.client, message.size());
    }
    if (failed) break;
    if (work.close_requested) {
      co_await session.ws.async_close(websocket::close_code::normal, tuple_awaitable);
      break;
    }
    if (work.messages.empty() && !work.report_overflow) {
      co_await session.wake->wait();
    }
  }
  session.writer_done = true;
  session.writer_end->notify();
}

template <class Stream>
asio::awaitable<void> read_loop(Session<Stream>& session) {
  beast::flat_buffer buffer;
  while (true) {
    auto [error, bytes] = co_await session.ws.async_read(buffer, tuple_awaitable);
    if (error) break;
    call_safely("on_message", session.handler.on_message, session.client,
                beast::buffers_to_string(buffer.data()));
    buffer.consume(buffer.size());
  }
}

}  // namespace

template <class Stream>
asio::awaitable<void> run_websocket(std::shared_ptr<ServerCore> core,
                                    std::shared_ptr<ConnectionControl> control, Stream stream,
                                    beast::http::request<beast::http::string_body> upgrade,
                                    Request request, WsHandler handler) {
  auto executor = stream.get_executor();
  // The websocket stream has its own timeouts (and pings).
  beast::get_lowest_layer(stream).expires_never();
  Session<Stream> session{websocket::stream<Stream>(std::move(stream)), nullptr, std::move(handler),
                          std::make_shared<WakeSignal>(executor),
                          std::make_shared<WakeSignal>(executor)};
  session.ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  session.ws.read_message_max(core->options.max_body_bytes);

  ActionsGuard actions_guard(*control);
  auto force_close = [&session] { beast::get_lowest_layer(session.ws).close(); };
  control->set_actions(force_close, force_close);
  // clang-tidy reads this template coroutine's suspension as a loop back over the move of
  // `request` below (a false positive: it is moved once, after the accept).
  // NOLINTNEXTLINE(bugprone-use-after-move)
  auto [accept_error] = co_await session.ws.async_accept(upgrade, tuple_awaitable);
  if (accept_error) co_return;

  session.client = WsClientAccess::create(core->next_ws_client_id(), std::move(request),
                                          core->options.ws_queue_messages,
                                          core->options.ws_queue_bytes, core->budget);
  // The writer may be blocked in a write to a client that does not read, which is exactly
  // when its queue overflows: the overflow is reported from the wake itself, not the writer.
  session.wake->set_hook([&session, budget = core->budget] {
    if (WsClientAccess::take_overflow_report(*session.client)) {
      call_safely("on_overflow", session.handler.on_overflow, session.client);
    }
    if (WsClientAccess::take_drop(*session.client)) {
      // It does not read, so a close frame would not get through: close the socket.
      spdlog::warn(
          "http: dropped WebSocket client {} ({}): its unsent messages were over its share of "
          "the outbound budget ({} of {} bytes in use, {} connections)",
          session.client->id(), session.client->request().remote, budget->in_use(), budget->limit(),
          budget->connections());
      beast::get_lowest_layer(session.ws).close();
    }
  });
  WsClientAccess::attach(*session.client, session.wake->waker());
  control->set_actions([client = session.client] { client->close(); }, force_close);
  call_safely("on_open", session.handler.on_open, session.client);
  if (control->shutdown_requested()) session.client->close();

  asio::co_spawn(executor, write_loop(session), asio::detached);
  co_await read_loop(session);

  // The reader saw the end. Stop the writer (which may be blocked in a write to a client that
  // does not read) and wait for it: it refers to `session`, which lives in this frame.
  WsClientAccess::mark_closed(*session.client);
  session.wake->set_hook({});
  beast::get_lowest_layer(session.ws).close();
  session.wake->notify();
  while (!session.writer_done) {
    co_await session.writer_end->wait();
  }
  call_safely("on_close", session.handler.on_close, session.client);
}

template asio::awaitable<void> run_websocket<PlainStream>(
    std::shared_ptr<ServerCore>, std::shared_ptr<ConnectionControl>, PlainStream,
    beast::http::request<beast::http::string_body>, Request, WsHandler);
template asio::awaitable<void> run_websocket<TlsStream>(
    std::shared_ptr<ServerCore>, std::shared_ptr<ConnectionControl>, TlsStream,
    beast::http::request<beast::http::string_body>, Request, WsHandler);

}  // namespace stork::http::detail
