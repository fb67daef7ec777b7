#include "http/server_core.hpp"

#include "http/host_names.hpp"

namespace stork::http::detail {

namespace {

std::string status_class(unsigned status) {
  return std::to_string(status / 100) + "xx";
}

}  // namespace

ServerCore::ServerCore(boost::asio::any_io_executor executor_in, ServerOptions options_in,
                       Router router_in, std::shared_ptr<Metrics> metrics_in)
    : executor(std::move(executor_in)),
      options(std::move(options_in)),
      router(std::move(router_in)),
      metrics(std::move(metrics_in)),
      sessions(options.session_lifetime),
      login_limiter(options.login_burst, options.login_refill),
      budget(options.budget ? options.budget
                            : std::make_shared<OutboundBudget>(options.outbound_budget_bytes,
                                                               options.max_connections)),
      trim(std::make_shared<MemoryTrim>(executor)) {
  policy.token = options.token;
  policy.viewer_token = options.viewer_token;
  policy.allowed_hosts = options.allowed_hosts;
  for (auto& name : default_allowed_hosts(options.host))
    policy.allowed_hosts.push_back(std::move(name));
  if (metrics) {
    // The same series from a local listener reads the same (shared) budget.
    metrics->gauge_callback(
        "stork_http_outbound_bytes",
        "Bytes queued for or being written to clients (WebSocket messages, response bodies).",
        [shared = budget] { return static_cast<double>(shared->in_use()); });
    metrics->gauge_callback(
        "stork_http_connections", "Open client connections (HTTP, SSE and WebSocket).",
        [shared = budget] { return static_cast<double>(shared->connections()); });
    request_seconds_ = &metrics->histogram("stork_http_request_duration_seconds",
                                           "Time from a request's header to its response, by "
                                           "route and status class.");
  }
}

std::optional<WsHandler> ServerCore::ws_handler(const std::string& path) const {
  std::lock_guard lock(ws_mutex_);
  auto found = ws_handlers_.find(path);
  if (found == ws_handlers_.end()) return std::nullopt;
  return found->second;
}

void ServerCore::set_ws_handler(std::string path, WsHandler handler) {
  std::lock_guard lock(ws_mutex_);
  ws_handlers_[std::move(path)] = std::move(handler);
}

void ServerCore::record(const std::string& route, unsigned status, double seconds) {
  if (!metrics) return;
  Labels labels{{"route", route}, {"status", status_class(status)}};
  request_seconds_->observe(seconds, labels);
  metrics
      ->counter("stork_http_requests_total", "HTTP requests answered, by route and status class.",
                labels)
      .inc();
}

}  // namespace stork::http::detail
