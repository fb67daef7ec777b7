// Clients for the server tests: plain HTTP requests, raw bytes, an SSE reader and a WebSocket
// client. Each owns an io_context of its own and runs every operation to completion with a
// deadline, so a server that fails to answer fails the test instead of hanging it. Beast stays
// in the .cpp, so the test files compile fast.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/request.hpp"

namespace stork::http::testing {

using namespace std::chrono_literals;

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpCall {
  HttpCall(std::string method_in = "GET", std::string target_in = "/", Headers headers_in = {},
           std::string body_in = {})
      : method(std::move(method_in)),
        target(std::move(target_in)),
        headers(std::move(headers_in)),
        body(std::move(body_in)) {}

  std::string method;
  std::string target;
  Headers headers;  // Host defaults to 127.0.0.1:port
  std::string body;
};

struct HttpReply {
  unsigned status = 0;  // 0: no response (the error says why)
  std::map<std::string, std::string, CaseInsensitiveLess> headers;
  std::string body;
  std::string error;
  std::string header(const std::string& name) const;
};

// The address every client below connects to (default 127.0.0.1; a test of a server bound to
// another loopback address such as 127.0.0.2 sets it first). Host defaults to it as well.
void set_server_address(const std::string& address);

// One request on a fresh connection.
HttpReply http_request(unsigned short port, const HttpCall& call);

// A connection that sends several requests (keep-alive).
class HttpConnection {
 public:
  explicit HttpConnection(unsigned short port);
  ~HttpConnection();
  HttpReply request(const HttpCall& call);
  // Writes `bytes` as they are (e.g. two pipelined requests), then reads `responses` replies.
  std::vector<HttpReply> pipeline(const std::string& bytes, int responses);
  bool closed_by_server(std::chrono::milliseconds within = 2000ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Sends `bytes`, half-closes, and returns everything the server sends until it closes.
std::string raw_exchange(unsigned short port, const std::string& bytes);

struct SseEvent {
  std::string id;
  std::string event;
  std::string data;
};

class SseClient {
 public:
  SseClient(unsigned short port, const std::string& target);
  ~SseClient();
  unsigned status() const;
  std::string header(const std::string& name) const;
  // The next event, or nothing if none came within `timeout` or the stream ended.
  std::optional<SseEvent> next(std::chrono::milliseconds timeout = 2000ms);
  // True once the server has finished the response (last chunk) or closed the connection.
  bool ended(std::chrono::milliseconds within = 2000ms);
  void disconnect();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class WsTestClient {
 public:
  // `receive_buffer_bytes` > 0 shrinks the socket's receive buffer (a client that reads slowly).
  WsTestClient(unsigned short port, const std::string& target,
               std::vector<std::pair<std::string, std::string>> headers = {},
               int receive_buffer_bytes = 0);
  ~WsTestClient();
  bool connected() const;
  const std::string& error() const;
  unsigned handshake_status() const;  // 101 when connected; 401, 403, 404... when refused
  bool send(const std::string& text);
  std::optional<std::string> receive(std::chrono::milliseconds timeout = 2000ms);
  // True when the server closed the session (a close frame or EOF) within `within`.
  bool closed_by_server(std::chrono::milliseconds within = 2000ms);
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stork::http::testing
