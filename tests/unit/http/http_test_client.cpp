#include "http_test_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace stork::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using asio::ip::tcp;

namespace {

// Starts one asynchronous operation through `start(handler)` and runs the io_context until it
// completes; the stream's deadline closes the socket if the operation takes longer.
template <class Start>
beast::error_code run_op(asio::io_context& io, beast::tcp_stream& stream,
                         std::chrono::milliseconds timeout, Start&& start) {
  beast::error_code result = asio::error::would_block;
  stream.expires_after(timeout);
  start([&result](beast::error_code error, auto&&...) { result = error; });
  io.restart();
  io.run();
  return result;
}

std::string& server_address() {
  static std::string address = "127.0.0.1";
  return address;
}

beast::error_code connect(asio::io_context& io, beast::tcp_stream& stream, unsigned short port,
                          int receive_buffer_bytes = 0) {
  tcp::endpoint endpoint(asio::ip::make_address(server_address()), port);
  if (receive_buffer_bytes > 0) {
    stream.socket().open(tcp::v4());
    stream.socket().set_option(asio::socket_base::receive_buffer_size(receive_buffer_bytes));
  }
  return run_op(io, stream, 2000ms,
                [&](auto handler) { stream.async_connect(endpoint, std::move(handler)); });
}

HttpReply to_reply(bhttp::response<bhttp::string_body>& response) {
  HttpReply reply;
  reply.status = response.result_int();
  for (const auto& field : response) {
    reply.headers[std::string(field.name_string())] = std::string(field.value());
  }
  reply.body = std::move(response.body());
  return reply;
}

}  // namespace

void set_server_address(const std::string& address) {
  server_address() = address;
}

std::string HttpReply::header(const std::string& name) const {
  auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

struct HttpConnection::Impl {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  unsigned short port;
  beast::error_code connect_error;

  HttpReply read_reply(bool head) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    parser.skip(head);
    auto error = run_op(io, stream, 5000ms, [&](auto handler) {
      bhttp::async_read(stream, buffer, parser, std::move(handler));
    });
    if (error) {
      HttpReply failed;
      failed.error = "read: " + error.message();
      return failed;
    }
    return to_reply(parser.get());
  }
};

HttpConnection::HttpConnection(unsigned short port) : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
  impl_->connect_error = connect(impl_->io, impl_->stream, port);
}

HttpConnection::~HttpConnection() = default;

HttpReply HttpConnection::request(const HttpCall& call) {
  if (impl_->connect_error)
    return HttpReply{0, {}, {}, "connect: " + impl_->connect_error.message()};
  bhttp::request<bhttp::string_body> request;
  request.method_string(call.method);
  request.target(call.target);
  request.version(11);
  request.set(bhttp::field::host, server_address() + ":" + std::to_string(impl_->port));
  for (const auto& [name, value] : call.headers)
    request.set(name, value);
  request.body() = call.body;
  if (!call.body.empty() || call.method == "POST" || call.method == "PUT")
    request.prepare_payload();
  // A server that refuses a large body may answer before reading it: read the answer even when
  // the write failed part-way.
  auto write_error = run_op(impl_->io, impl_->stream, 5000ms, [&](auto handler) {
    bhttp::async_write(impl_->stream, request, std::move(handler));
  });
  HttpReply reply = impl_->read_reply(call.method == "HEAD");
  if (reply.status == 0 && write_error) reply.error += " (write: " + write_error.message() + ")";
  return reply;
}

HttpReply http_request(unsigned short port, const HttpCall& call) {
  HttpConnection connection(port);
  return connection.request(call);
}

std::vector<HttpReply> HttpConnection::pipeline(const std::string& bytes, int responses) {
  std::vector<HttpReply> replies;
  auto error = run_op(impl_->io, impl_->stream, 2000ms, [&](auto handler) {
    asio::async_write(impl_->stream, asio::buffer(bytes), std::move(handler));
  });
  if (error) return replies;
  for (int i = 0; i < responses; ++i)
    replies.push_back(impl_->read_reply(false));
  return replies;
}

bool HttpConnection::closed_by_server(std::chrono::milliseconds within) {
  char byte;
  auto error = run_op(impl_->io, impl_->stream, within, [&](auto handler) {
    impl_->stream.async_read_some(asio::buffer(&byte, 1), std::move(handler));
  });
  return error && error != beast::error::timeout;
}

std::string raw_exchange(unsigned short port, const std::string& bytes) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  if (connect(io, stream, port)) return "connect failed";
  run_op(io, stream, 2000ms,
         [&](auto handler) { asio::async_write(stream, asio::buffer(bytes), std::move(handler)); });
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  std::string received;
  char chunk[4096];
  while (true) {
    std::size_t got = 0;
    auto error = run_op(io, stream, 5000ms, [&](auto handler) {
      stream.async_read_some(asio::buffer(chunk), [&got, handler = std::move(handler)](
                                                      beast::error_code e, std::size_t n) mutable {
        got = n;
        handler(e, n);
      });
    });
    received.append(chunk, got);
    if (error) break;
  }
  return received;
}

struct SseClient::Impl {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  std::size_t consumed = 0;
  bool failed = false;

  std::optional<SseEvent> parse_next() {
    std::string& body = parser.get().body();
    std::size_t end = body.find("\n\n", consumed);
    if (end == std::string::npos) return std::nullopt;
    std::string block = body.substr(consumed, end - consumed);
    consumed = end + 2;
    SseEvent event;
    bool any_data = false;
    std::size_t start = 0;
    while (start <= block.size()) {
      std::size_t newline = block.find('\n', start);
      std::string line =
          block.substr(start, newline == std::string::npos ? newline : newline - start);
      if (line.starts_with("data: ")) {
        if (any_data) event.data += '\n';
        event.data += line.substr(6);
        any_data = true;
      } else if (line.starts_with("event: ")) {
        event.event = line.substr(7);
      } else if (line.starts_with("id: ")) {
        event.id = line.substr(4);
      }
      if (newline == std::string::npos) break;
      start = newline + 1;
    }
    if (!any_data) return parse_next();  // a comment block
    return event;
  }

  beast::error_code read_some(std::chrono::milliseconds timeout) {
    return run_op(io, stream, timeout, [&](auto handler) {
      bhttp::async_read_some(stream, buffer, parser, std::move(handler));
    });
  }
};

SseClient::SseClient(unsigned short port, const std::string& target)
    : impl_(std::make_unique<Impl>()) {
  if (connect(impl_->io, impl_->stream, port)) {
    impl_->failed = true;
    return;
  }
  bhttp::request<bhttp::empty_body> request{bhttp::verb::get, target, 11};
  request.set(bhttp::field::host, server_address() + ":" + std::to_string(port));
  request.set(bhttp::field::accept, "text/event-stream");
  auto error = run_op(impl_->io, impl_->stream, 2000ms, [&](auto handler) {
    bhttp::async_write(impl_->stream, request, std::move(handler));
  });
  if (!error) {
    error = run_op(impl_->io, impl_->stream, 2000ms, [&](auto handler) {
      bhttp::async_read_header(impl_->stream, impl_->buffer, impl_->parser, std::move(handler));
    });
  }
  impl_->failed = static_cast<bool>(error);
}

SseClient::~SseClient() = default;

unsigned SseClient::status() const {
  return impl_->failed ? 0 : impl_->parser.get().result_int();
}

std::string SseClient::header(const std::string& name) const {
  return std::string(impl_->parser.get()[name]);
}

std::optional<SseEvent> SseClient::next(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!impl_->failed) {
    if (auto event = impl_->parse_next()) return event;
    if (impl_->parser.is_done()) return std::nullopt;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return std::nullopt;
    if (impl_->read_some(left)) impl_->failed = true;
  }
  return impl_->parse_next();
}

bool SseClient::ended(std::chrono::milliseconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  while (!impl_->parser.is_done()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return false;
    auto error = impl_->read_some(left);
    if (error == beast::error::timeout) return false;
    if (error) return true;  // closed
  }
  return true;
}

void SseClient::disconnect() {
  beast::error_code ignored;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->stream.close();
}

struct WsTestClient::Impl {
  asio::io_context io;
  websocket::stream<beast::tcp_stream> ws{io};
  beast::flat_buffer buffer;
  bool connected = false;
  std::string error;
  unsigned handshake_status = 0;

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(ws); }
};

WsTestClient::WsTestClient(unsigned short port, const std::string& target,
                           std::vector<std::pair<std::string, std::string>> headers,
                           int receive_buffer_bytes)
    : impl_(std::make_unique<Impl>()) {
  if (auto error = connect(impl_->io, impl_->lowest(), port, receive_buffer_bytes)) {
    impl_->error = "connect: " + error.message();
    return;
  }
  impl_->ws.set_option(
      websocket::stream_base::decorator([headers](websocket::request_type& request) {
        for (const auto& [name, value] : headers)
          request.set(name, value);
      }));
  websocket::response_type response;
  std::string host = server_address() + ":" + std::to_string(port);
  auto error = run_op(impl_->io, impl_->lowest(), 2000ms, [&](auto handler) {
    impl_->ws.async_handshake(response, host, target, std::move(handler));
  });
  impl_->handshake_status = response.result_int();
  if (error) {
    impl_->error = "handshake: " + error.message();
    return;
  }
  impl_->connected = true;
}

WsTestClient::~WsTestClient() = default;

bool WsTestClient::connected() const {
  return impl_->connected;
}
const std::string& WsTestClient::error() const {
  return impl_->error;
}
unsigned WsTestClient::handshake_status() const {
  return impl_->handshake_status;
}

bool WsTestClient::send(const std::string& text) {
  auto error = run_op(impl_->io, impl_->lowest(), 2000ms, [&](auto handler) {
    impl_->ws.async_write(asio::buffer(text), std::move(handler));
  });
  return !error;
}

std::optional<std::string> WsTestClient::receive(std::chrono::milliseconds timeout) {
  auto error = run_op(impl_->io, impl_->lowest(), timeout, [&](auto handler) {
    impl_->ws.async_read(impl_->buffer, std::move(handler));
  });
  if (error) return std::nullopt;
  std::string text = beast::buffers_to_string(impl_->buffer.data());
  impl_->buffer.consume(impl_->buffer.size());
  return text;
}

bool WsTestClient::closed_by_server(std::chrono::milliseconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return false;
    auto error = run_op(impl_->io, impl_->lowest(), left, [&](auto handler) {
      impl_->ws.async_read(impl_->buffer, std::move(handler));
    });
    impl_->buffer.consume(impl_->buffer.size());
    if (error == beast::error::timeout) return false;
    if (error) return true;
  }
}

void WsTestClient::close() {
  run_op(impl_->io, impl_->lowest(), 2000ms, [&](auto handler) {
    impl_->ws.async_close(websocket::close_code::normal, std::move(handler));
  });
}

}  // namespace stork::http::testing
