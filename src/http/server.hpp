// Server: stork's HTTP/1.1 + WebSocket listener. It applies the security rules to every
// request (bearer token, Host and Origin checks against DNS rebinding, body size limit), then
// hands it to the Router, to the WebSocket handler, or to the static files of the web UI. It
// knows nothing of MCP, REST resources or the pipeline: the app registers those as routes.
//
// Concurrency: each connection is one coroutine on its own strand of the given executor, so
// the io_context may be run by several threads. Handlers run on their connection's strand.
// Docs: docs/http.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/result.hpp"
#include "http/metrics.hpp"
#include "http/outbound_budget.hpp"
#include "http/router.hpp"
#include "http/ws_client.hpp"

namespace stork::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 3000;        // 0: any free port (tests); bound_port() tells which
  std::optional<std::string> token;  // required when host is not loopback (start() fails without)
  std::vector<std::string> allowed_hosts;  // more names accepted in Host/Origin (e.g. a LAN name)
  std::size_t max_body_bytes = 4 << 20;    // 413 beyond; WebSocket messages too
  std::filesystem::path static_dir;        // served at "/" (GET/HEAD) after the routes; empty: none
  std::size_t ws_queue_messages = 4096;
  std::size_t ws_queue_bytes = 8 << 20;
  std::chrono::seconds idle_timeout{60};  // reading a request, writing a response; not streams
  // Remote access (docs/remote.md).
  std::optional<std::string> viewer_token;               // read-only: every write gets 403
  std::chrono::seconds session_lifetime{7 * 24 * 3600};  // a board login (cookie)
  int login_burst = 5;                                   // failed logins per address before 429
  std::chrono::milliseconds login_refill{2000};          // one more attempt per this
  std::vector<std::string> trusted_proxies;              // their X-Forwarded-For/-Proto count
  std::filesystem::path tls_cert;  // PEM certificate (chain): HTTPS and WSS; with tls_key
  std::filesystem::path tls_key;   // its PEM private key
  // Slow clients (docs/serve.md): all outbound queues and response bodies together, and the
  // open connections; beyond max_connections a new one gets a 503 and is closed. `budget`:
  // share another server's (a TLS server's local listener); null: made from the two limits.
  std::size_t outbound_budget_bytes = std::size_t{64} << 20;
  std::size_t max_connections = 512;
  std::shared_ptr<OutboundBudget> budget;
};

namespace detail {
struct ServerCore;
}

class Server {
 public:
  // `metrics` may be null (nothing recorded).
  Server(boost::asio::any_io_executor executor, ServerOptions options, Router router,
         std::shared_ptr<Metrics> metrics);
  ~Server();  // closes the listener and every connection, without waiting
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS certificate and key when set (errors name the file and what is wrong), binds
  // and listens, then accepts on the executor. The error names host:port and the cause
  // ("cannot listen on 127.0.0.1:3000: Address already in use").
  Result<void, std::string> start();
  unsigned short bound_port() const;
  // Upgrades to WebSocket at `path` (e.g. "/ws") go to `handler`. Call before clients connect.
  void set_ws_handler(std::string path, WsHandler handler);
  std::size_t connection_count() const;
  // Ends every board session (`stork token revoke`); returns how many were live.
  std::size_t revoke_sessions();
  // The outbound budget and connection count (shared with a local listener under TLS).
  std::shared_ptr<OutboundBudget> budget() const;

  // Stops accepting, closes idle keep-alive connections, lets requests in progress finish
  // (with "Connection: close"), ends SSE streams and closes WebSockets; returns when every
  // connection is gone or, after `grace`, closes what is left and returns.
  boost::asio::awaitable<void> stop(std::chrono::milliseconds grace);

 private:
  std::shared_ptr<detail::ServerCore> core_;
};

}  // namespace stork::http
