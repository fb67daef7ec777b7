// The SSE half of streams.hpp: chunked text/event-stream, written from an EventStream.
#include <array>
#include <memory>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include "http/connection_control.hpp"
#include "http/event_stream_access.hpp"
#include "http/streams.hpp"
#include "http/wake_signal.hpp"

namespace stork::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// Watches the read side while the connection writes events: EOF or an error means the client
// is gone. A plain callback rather than a second coroutine, so it never refers to the writer's
// frame once the writer has finished (`alive` is false then; both run on the strand).
struct ClientWatch {
  std::shared_ptr<EventStream> events;
  std::weak_ptr<WakeSignal> wake;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);
  std::shared_ptr<std::array<char, 512>> scratch = std::make_shared<std::array<char, 512>>();

  void arm(asio::ip::tcp::socket& socket) const {
    socket.async_read_some(
        asio::buffer(*scratch), [watch = *this, &socket](beast::error_code error, std::size_t) {
          if (!*watch.alive) return;
          if (!error) {
            watch.arm(socket);  // a client may send more; only its leaving matters
            return;
          }
          EventStreamAccess::abandon(*watch.events);
          if (auto signal = watch.wake.lock()) signal->notify();
        });
  }
};

bhttp::response<bhttp::empty_body> sse_header(const Response& response, unsigned http_version) {
  bhttp::response<bhttp::empty_body> header;
  header.version(http_version);
  header.result(response.status);
  header.set(bhttp::field::server, "stork");
  header.set(bhttp::field::content_type, "text/event-stream");
  header.set(bhttp::field::cache_control, "no-cache");
  header.set("X-Accel-Buffering", "no");  // proxies must not hold events back
  for (const auto& [name, value] : response.headers) {
    header.insert(name, value);
  }
  header.keep_alive(false);
  if (http_version >= 11) header.chunked(true);
  return header;
}

// HTTP/1.0 has no chunks: the body simply ends when the connection closes.
template <class Stream>
asio::awaitable<bool> write_body(Stream& stream, const std::string& bytes, bool chunked) {
  beast::error_code error;
  if (chunked) {
    std::tie(error, std::ignore) =
        co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(bytes)), tuple_awaitable);
  } else {
    std::tie(error, std::ignore) =
        co_await asio::async_write(stream, asio::buffer(bytes), tuple_awaitable);
  }
  co_return !error;
}

}  // namespace

template <class Stream>
asio::awaitable<void> run_sse(ConnectionControl& control, Stream& stream, Response response,
                              unsigned http_version) {
  std::shared_ptr<EventStream> events = std::move(response.stream);
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_never();
  auto header = sse_header(response, http_version);
  bhttp::response_serializer<bhttp::empty_body> serializer(header);
  auto [header_error, header_bytes] =
      co_await bhttp::async_write_header(stream, serializer, tuple_awaitable);
  if (header_error) {
    EventStreamAccess::abandon(*events);
    co_return;
  }

  auto wake = std::make_shared<WakeSignal>(stream.get_executor());
  ActionsGuard actions_guard(control);
  control.set_actions([events] { events->close(); }, [&lowest] { lowest.close(); });
  // A stream that ends without flushing (overflow: the client stopped reading) must not wait
  // for a write that may never finish.
  wake->set_hook([events, &lowest] {
    if (EventStreamAccess::abandoned(*events)) lowest.socket().cancel();
  });
  EventStreamAccess::attach(*events, wake->waker());
  ClientWatch watch{events, wake};
  watch.arm(lowest.socket());

  const bool chunked = http_version >= 11;
  while (true) {
    EventStreamAccess::Taken taken = EventStreamAccess::take(*events);
    if (taken.abandoned) break;
    if (!taken.bytes.empty()) {
      bool written = co_await write_body(stream, taken.bytes, chunked);
      if (!written) break;
      continue;
    }
    if (taken.closed) {
      if (chunked) {
        co_await asio::async_write(stream, bhttp::make_chunk_last(), tuple_awaitable);
      }
      break;
    }
    co_await wake->wait();
  }
  *watch.alive = false;
  wake->set_hook({});
  EventStreamAccess::abandon(*events);  // no-op when it already ended; fires on_close otherwise
}

template asio::awaitable<void> run_sse<PlainStream>(ConnectionControl&, PlainStream&, Response,
                                                    unsigned);
template asio::awaitable<void> run_sse<TlsStream>(ConnectionControl&, TlsStream&, Response,
                                                  unsigned);

}  // namespace stork::http::detail
