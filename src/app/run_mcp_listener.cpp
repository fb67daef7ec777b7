#include "app/run_mcp_listener.hpp"

#include <utility>

#include <spdlog/spdlog.h>

#include "app/mcp_endpoint.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/session_store.hpp"

namespace stork::app {
namespace asio = boost::asio;

RunMcpListener::RunMcpListener(asio::any_io_executor executor, std::string token)
    : executor_(std::move(executor)), token_(std::move(token)) {}

RunMcpListener::~RunMcpListener() = default;

Result<std::unique_ptr<RunMcpListener>, std::string> RunMcpListener::open(
    asio::any_io_executor executor) {
  std::unique_ptr<RunMcpListener> listener(new RunMcpListener(executor, http::random_secret()));
  http::Router router;
  // Every method goes to the MCP server, which answers the ones it does not serve with the
  // transport's own 405, as under `stork serve`.
  for (const char* method : {"POST", "GET", "DELETE", "PUT", "PATCH", "OPTIONS"}) {
    router.add(
        method, "/mcp",
        [self = listener.get()](http::Request& request) -> asio::awaitable<http::Response> {
          if (!self->endpoint_) {
            co_return http::Response::error(503, "not_ready",
                                            "stork run's MCP server is not ready");
          }
          auto handling = self->endpoint_->handle(request);
          co_return co_await std::move(handling);
        },
        "mcp");
  }
  http::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.token = listener->token_;
  listener->http_ =
      std::make_unique<http::Server>(executor, std::move(options), std::move(router), nullptr);
  if (auto started = listener->http_->start(); !started.ok()) {
    return fail("stork run's MCP listener (for the agents): " + started.error());
  }
  listener->url_ = "http://127.0.0.1:" + std::to_string(listener->http_->bound_port()) + "/mcp";
  return listener;
}

void RunMcpListener::attach(mcp::Server& server) {
  endpoint_ = std::make_unique<McpEndpoint>(executor_, server);
}

asio::awaitable<void> RunMcpListener::stop(std::chrono::milliseconds grace) {
  co_await http_->stop(grace);
  if (!endpoint_) co_return;
  // (No co_await inside && with GCC 12: it miscompiles the frame.)
  const bool drained = co_await endpoint_->drain(grace);
  if (!drained)
    spdlog::warn("{} MCP streams still open after stork run's shutdown", endpoint_->open_streams());
}

}  // namespace stork::app
