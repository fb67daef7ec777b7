// ServerCore: the state a Server shares with its accept loop and its connections, which may
// outlive the Server object by a moment (they hold it by shared_ptr). Internal to the server.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "http/connection_control.hpp"
#include "http/login_limiter.hpp"
#include "http/memory_trim.hpp"
#include "http/metrics.hpp"
#include "http/outbound_budget.hpp"
#include "http/router.hpp"
#include "http/security.hpp"
#include "http/server.hpp"
#include "http/session_store.hpp"
#include "http/ws_client.hpp"

namespace stork::http::detail {

struct ServerCore {
  ServerCore(boost::asio::any_io_executor executor, ServerOptions options, Router router,
             std::shared_ptr<Metrics> metrics);

  std::optional<WsHandler> ws_handler(const std::string& path) const;
  void set_ws_handler(std::string path, WsHandler handler);
  std::uint64_t next_ws_client_id() { return next_ws_client_id_++; }

  // One finished request: `route` is the route name, or "static", "unmatched", "rejected",
  // "websocket".
  void record(const std::string& route, unsigned status, double seconds);

  const boost::asio::any_io_executor executor;
  const ServerOptions options;
  const Router router;
  const std::shared_ptr<Metrics> metrics;
  SecurityPolicy policy;
  SessionStore sessions;
  LoginLimiter login_limiter;
  std::filesystem::path static_root;               // canonical; empty: no static files
  std::shared_ptr<boost::asio::ssl::context> tls;  // set by start() with --tls-cert
  std::atomic<bool> stopping{false};
  ConnectionRegistry connections;
  // Outbound memory and open connections, shared with a TLS server's local listener.
  std::shared_ptr<OutboundBudget> budget;
  std::shared_ptr<MemoryTrim> trim;                          // after a burst of disconnects
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor;  // used on its own strand
  std::atomic<unsigned short> bound_port{0};

 private:
  Histogram* request_seconds_ = nullptr;
  mutable std::mutex ws_mutex_;
  std::map<std::string, WsHandler> ws_handlers_;
  std::atomic<std::uint64_t> next_ws_client_id_{1};
};

}  // namespace stork::http::detail
