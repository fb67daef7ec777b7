#include "app/agent_listener.hpp"

#include <utility>

namespace stork::app {

Result<std::unique_ptr<http::Server>, AppError> open_agent_listener(
    boost::asio::any_io_executor executor, const http::ServerOptions& main, http::Handler mcp,
    http::Handler health, std::shared_ptr<http::Metrics> metrics) {
  http::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.token = main.token;
  options.max_body_bytes = main.max_body_bytes;
  options.idle_timeout = main.idle_timeout;
  http::Router router;
  // Every method goes to the MCP server, as on the main listener (it answers 405 itself).
  for (const char* method : {"POST", "GET", "DELETE", "PUT", "PATCH", "OPTIONS"})
    router.add(method, "/mcp", mcp, "mcp");
  router.add("GET", "/healthz", std::move(health), "healthz");
  auto server = std::make_unique<http::Server>(std::move(executor), std::move(options),
                                               std::move(router), std::move(metrics));
  if (auto started = server->start(); !started.ok()) {
    return fail(AppError{AppError::Kind::Startup,
                         "the agents' MCP listener on 127.0.0.1: " + started.error()});
  }
  return server;
}

}  // namespace stork::app
