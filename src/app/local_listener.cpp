#include "app/local_listener.hpp"

#include <utility>

namespace stork::app {

Result<std::unique_ptr<http::Server>, AppError> open_local_listener(
    boost::asio::any_io_executor executor, const http::ServerOptions& main, http::Router router,
    std::shared_ptr<http::OutboundBudget> budget, std::shared_ptr<http::Metrics> metrics) {
  http::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.token = main.token;
  options.viewer_token = main.viewer_token;
  options.max_body_bytes = main.max_body_bytes;
  options.idle_timeout = main.idle_timeout;
  options.budget = std::move(budget);  // one budget and connection count for both listeners
  auto server = std::make_unique<http::Server>(std::move(executor), std::move(options),
                                               std::move(router), std::move(metrics));
  if (auto started = server->start(); !started.ok()) {
    return fail(
        AppError{AppError::Kind::Startup,
                 "the local listener on 127.0.0.1 (for agents and the CLI): " + started.error()});
  }
  return server;
}

}  // namespace stork::app
