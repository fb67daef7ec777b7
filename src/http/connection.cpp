#include "http/connection.hpp"

#include <array>
#include <chrono>
#include <limits>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include "http/access_check.hpp"
#include "http/client_address.hpp"
#include "http/dispatch.hpp"
#include "http/login.hpp"
#include "http/request_target.hpp"
#include "http/server_core.hpp"
#include "http/streams.hpp"

namespace stork::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t header_limit_bytes = std::size_t{16} << 10;
// After an error response the client may still be sending a body we will not read; reading
// it for a moment before closing keeps the kernel from answering it with a reset, which can
// destroy our response before the client has read it.
constexpr std::chrono::seconds linger_time{1};
constexpr std::size_t linger_max_bytes = 64 << 20;

std::string endpoint_text(const tcp::socket& socket) {
  beast::error_code error;
  tcp::endpoint remote = socket.remote_endpoint(error);
  if (error) return "unknown";
  std::string address = remote.address().to_string();
  if (remote.address().is_v6()) address = "[" + address + "]";
  return address + ":" + std::to_string(remote.port());
}

bool is_parse_error(const beast::error_code& error) {
  return error.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         error != bhttp::error::end_of_stream && error != bhttp::error::partial_message;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

template <class Stream>
class Connection {
 public:
  Connection(std::shared_ptr<ServerCore> core, Stream stream, std::string remote)
      : core_(std::move(core)),
        control_(std::make_shared<ConnectionControl>(stream.get_executor())),
        remote_(std::move(remote)),
        stream_(std::move(stream)) {}

  asio::awaitable<void> run();

 private:
  enum class Next { KeepAlive, Close, CloseLingering, HandedOver };
  using Parser = bhttp::request_parser<bhttp::string_body>;

  asio::awaitable<Next> serve(Parser& parser);
  asio::awaitable<Next> after_read_error(const beast::error_code& error);
  // Nothing when the body is in the parser; otherwise how the connection goes on.
  asio::awaitable<std::optional<Next>> read_body(Parser& parser, unsigned version,
                                                 Clock::time_point start);
  asio::awaitable<Next> respond(Dispatched dispatched, unsigned version, bool keep_alive, bool head,
                                Clock::time_point start);
  asio::awaitable<Next> reject(Response response, unsigned version, Clock::time_point start);
  asio::awaitable<bool> write(Response response, unsigned version, bool keep_alive, bool head);
  asio::awaitable<bool> write_continue(unsigned version);
  asio::awaitable<void> close_lingering();
  void close_now();
  Request request_from(const Parser& parser) const;
  // A wrong bearer token counts as a failed login; past the limit it is answered 429.
  void throttle_bad_token(Verdict& verdict, const std::string& address);
  Response body_too_large() const {
    return Response::error(
        413, "body_too_large",
        "request body exceeds " + std::to_string(core_->options.max_body_bytes) + " bytes");
  }

  std::shared_ptr<ServerCore> core_;
  std::shared_ptr<ConnectionControl> control_;
  std::string remote_;
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  Stream stream_;
  beast::flat_buffer buffer_;
};

template <class Stream>
asio::awaitable<void> Connection<Stream>::run() {
  ConnectionRegistration registration(core_->connections, control_);
  ActionsGuard actions_guard(*control_);
  auto force_close = [this] { lowest().close(); };
  Next next = Next::KeepAlive;
  while (next == Next::KeepAlive) {
    if (core_->stopping || control_->shutdown_requested()) {
      next = Next::Close;
      break;
    }
    Parser parser;
    parser.header_limit(header_limit_bytes);
    // The body limit is set once the header has passed the security checks, so that an
    // unauthorised request gets its 401 whatever its size.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    lowest().expires_after(core_->options.idle_timeout);
    // Waiting for the next request is the only phase in which stop() may cut a connection.
    control_->set_actions([this] { lowest().cancel(); }, force_close);
    auto [error, bytes] =
        co_await bhttp::async_read_header(stream_, buffer_, parser, tuple_awaitable);
    control_->set_actions({}, force_close);
    // (No co_await inside ?: or &&: GCC 12 miscompiles some of those.)
    if (error) {
      next = co_await after_read_error(error);
    } else {
      next = co_await serve(parser);
    }
  }
  if (next == Next::HandedOver) co_return;  // the stream now belongs to the WebSocket session
  if (next == Next::CloseLingering) {
    co_await close_lingering();
  } else {
    close_now();
  }
}

template <class Stream>
asio::awaitable<typename Connection<Stream>::Next> Connection<Stream>::after_read_error(
    const beast::error_code& error) {
  if (error == bhttp::error::header_limit) {
    co_return co_await reject(
        Response::error(431, "headers_too_large",
                        "request headers exceed " + std::to_string(header_limit_bytes) + " bytes"),
        11, Clock::now());
  }
  if (is_parse_error(error)) {
    co_return co_await reject(
        Response::error(400, "bad_request", "malformed request: " + error.message()), 11,
        Clock::now());
  }
  co_return Next::Close;  // the client left, the idle timeout expired, or stop() cancelled
}

template <class Stream>
Request Connection<Stream>::request_from(const Parser& parser) const {
  const auto& header = parser.get();
  Request request;
  request.method = std::string(header.method_string());
  request.target = std::string(header.target());
  request.remote = remote_;
  for (const auto& field : header) {
    auto [slot, inserted] =
        request.headers.emplace(std::string(field.name_string()), std::string(field.value()));
    if (!inserted) slot->second.append(", ").append(field.value());
  }
  return request;
}

template <class Stream>
void Connection<Stream>::throttle_bad_token(Verdict& verdict, const std::string& address) {
  core_->login_limiter.failed(address);
  auto wait = core_->login_limiter.wait_for(address);
  if (wait.count() == 0) return;
  const auto seconds = std::to_string((wait.count() + 999) / 1000);
  verdict.kind = Verdict::Kind::Refuse;
  verdict.response =
      Response::error(429, "too_many_attempts",
                      "too many wrong tokens from " + address + "; try again in " + seconds + " s");
  verdict.response.headers.emplace_back("Retry-After", seconds);
}

template <class Stream>
asio::awaitable<typename Connection<Stream>::Next> Connection<Stream>::serve(Parser& parser) {
  Clock::time_point start = Clock::now();
  Request request = request_from(parser);
  const unsigned version = parser.get().version();
  bool keep_alive = parser.get().keep_alive();

  auto target = parse_request_target(request.target);
  if (!target.ok()) {
    co_return co_await reject(Response::error(400, "bad_request", target.error()), version, start);
  }
  request.path = target->path;
  request.query = target->query;

  std::optional<WsHandler> websocket;
  if (beast::websocket::is_upgrade(parser.get())) websocket = core_->ws_handler(request.path);
  Verdict verdict = check_access(request, core_->policy, &core_->sessions, websocket.has_value());
  const ClientView client = client_of(request, core_->options.trusted_proxies);
  if (verdict.bad_token) throttle_bad_token(verdict, client.address);
  if (verdict.kind == Verdict::Kind::Refuse) {
    co_return co_await reject(std::move(verdict.response), version, start);
  }
  if (verdict.kind == Verdict::Kind::LoginPage) {
    Dispatched page{login_page(200, ""), "login"};
    co_return co_await respond(std::move(page), version, keep_alive, request.method == "HEAD",
                               start);
  }
  auto declared = parser.content_length();
  if (declared && *declared > core_->options.max_body_bytes) {
    co_return co_await reject(body_too_large(), version, start);
  }
  parser.body_limit(core_->options.max_body_bytes);  // now for chunked bodies
  if (websocket) {
    core_->record("websocket", 101, seconds_since(start));
    co_await run_websocket(core_, control_, std::move(stream_), parser.release(),
                           std::move(request), std::move(*websocket));
    co_return Next::HandedOver;
  }

  std::optional<Next> failed = co_await read_body(parser, version, start);
  if (failed) co_return *failed;
  request.body = std::move(parser.get().body());
  Dispatched dispatched;
  if (verdict.kind == Verdict::Kind::Login) {
    LoginContext login{core_->policy, core_->sessions, core_->login_limiter, client.address,
                       client.via_https || core_->tls != nullptr};
    dispatched = Dispatched{answer_login(request, login), "login"};
  } else {
    dispatched = co_await dispatch(*core_, request, target->segments);
  }
  Next next =
      co_await respond(std::move(dispatched), version, keep_alive, request.method == "HEAD", start);
  co_return next;
}

template <class Stream>
asio::awaitable<std::optional<typename Connection<Stream>::Next>> Connection<Stream>::read_body(
    Parser& parser, unsigned version, Clock::time_point start) {
  std::optional<Next> failed;
  if (parser.is_done()) co_return failed;
  if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
    bool continued = co_await write_continue(version);
    if (!continued) co_return Next::Close;
  }
  lowest().expires_after(core_->options.idle_timeout);
  auto [error, bytes] = co_await bhttp::async_read(stream_, buffer_, parser, tuple_awaitable);
  if (error == bhttp::error::body_limit) {  // a chunked body that grew too large
    failed = co_await reject(body_too_large(), version, start);
  } else if (error) {
    failed = co_await after_read_error(error);
  }
  co_return failed;
}

template <class Stream>
asio::awaitable<typename Connection<Stream>::Next> Connection<Stream>::respond(
    Dispatched dispatched, unsigned version, bool keep_alive, bool head, Clock::time_point start) {
  // Recorded before the write, so a client that has its response also sees it counted.
  core_->record(dispatched.route_name, dispatched.response.status, seconds_since(start));
  if (dispatched.response.stream && head) {
    dispatched.response.stream->close();  // HEAD: the headers of the stream, no events
    dispatched.response.stream.reset();
  }
  if (dispatched.response.stream) {
    co_await run_sse(*control_, stream_, std::move(dispatched.response), version);
    co_return Next::Close;
  }
  keep_alive = keep_alive && !core_->stopping && !control_->shutdown_requested();
  bool written = co_await write(std::move(dispatched.response), version, keep_alive, head);
  co_return (written && keep_alive) ? Next::KeepAlive : Next::Close;
}

template <class Stream>
asio::awaitable<typename Connection<Stream>::Next> Connection<Stream>::reject(
    Response response, unsigned version, Clock::time_point start) {
  core_->record("rejected", response.status, seconds_since(start));
  co_await write(std::move(response), version, /*keep_alive=*/false, /*head=*/false);
  co_return Next::CloseLingering;
}

namespace {

template <class Body>
void set_headers(bhttp::response<Body>& message, const Response& response, unsigned version,
                 bool keep_alive) {
  message.version(version);
  message.result(response.status);
  message.set(bhttp::field::server, "stork");
  // An empty content type means "no body" (202 Accepted, a DELETE): send no header at all.
  if (!response.content_type.empty())
    message.set(bhttp::field::content_type, response.content_type);
  message.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : response.headers) {
    message.insert(name, value);
  }
  message.keep_alive(keep_alive);
}

}  // namespace

template <class Stream>
asio::awaitable<bool> Connection<Stream>::write(Response response, unsigned version,
                                                bool keep_alive, bool head) {
  lowest().expires_after(core_->options.idle_timeout);
  std::optional<BudgetHold> hold;  // the body's bytes, in the global budget until written
  if (!head) hold_response_body(*core_->budget, response, remote_, hold);
  if (response.shared_body && !head) {
    // The kept text is written in place; `response` holds it until the write is done.
    bhttp::response<bhttp::span_body<const char>> message;
    set_headers(message, response, version, keep_alive);
    message.body() = {response.shared_body->data(), response.shared_body->size()};
    message.prepare_payload();
    auto [error, bytes] = co_await bhttp::async_write(stream_, message, tuple_awaitable);
    co_return !error;
  }
  bhttp::response<bhttp::string_body> message;
  set_headers(message, response, version, keep_alive);
  std::size_t size = response.shared_body ? response.shared_body->size() : response.body.size();
  if (!head) message.body() = std::move(response.body);
  message.prepare_payload();
  if (head) message.content_length(size);  // HEAD: the GET's headers, no body
  auto [error, bytes] = co_await bhttp::async_write(stream_, message, tuple_awaitable);
  co_return !error;
}

template <class Stream>
asio::awaitable<bool> Connection<Stream>::write_continue(unsigned version) {
  bhttp::response<bhttp::empty_body> message{bhttp::status::continue_, version};
  lowest().expires_after(core_->options.idle_timeout);
  auto [error, bytes] = co_await bhttp::async_write(stream_, message, tuple_awaitable);
  co_return !error;
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::close_lingering() {
  beast::error_code ignored;
  lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
  lowest().expires_after(linger_time);
  std::array<char, std::size_t{16} << 10> scratch;
  std::size_t drained = 0;
  while (drained < linger_max_bytes) {
    auto [error, bytes] = co_await stream_.async_read_some(asio::buffer(scratch), tuple_awaitable);
    if (error) break;
    drained += bytes;
  }
  lowest().close();
}

template <class Stream>
void Connection<Stream>::close_now() {
  beast::error_code ignored;
  lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
  lowest().close();
}

}  // namespace

asio::awaitable<void> run_connection(std::shared_ptr<ServerCore> core, tcp::socket socket) {
  std::string remote = endpoint_text(socket);
  if (!core->tls) {
    Connection<PlainStream> connection(std::move(core), PlainStream(std::move(socket)),
                                       std::move(remote));
    co_await connection.run();
    co_return;
  }
  TlsStream stream(PlainStream(std::move(socket)), *core->tls);
  beast::get_lowest_layer(stream).expires_after(core->options.idle_timeout);
  auto [error] = co_await stream.async_handshake(asio::ssl::stream_base::server, tuple_awaitable);
  if (error) {  // plain HTTP to the TLS port, or a client that refuses our certificate
    spdlog::debug("http: TLS handshake with {} failed: {}", remote, error.message());
    co_return;
  }
  Connection<TlsStream> connection(std::move(core), std::move(stream), std::move(remote));
  co_await connection.run();
}

}  // namespace stork::http::detail
