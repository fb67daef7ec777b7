// The App's own HTTP routes and the services that need the pool and the pipeline: REST routes
// and the WebSocket event stream (the object graph registers the MCP tools).
#include <chrono>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "api/api_services.hpp"
#include "app/app_impl.hpp"
#include "config/config_loader.hpp"
#include "http/metrics_response.hpp"
#include "stork/version.hpp"

namespace stork::app {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// One debug line per request: what, how it ended, how long it took.
http::Handler logged(http::Handler handler) {
  return [handler = std::move(handler)](http::Request& request) -> asio::awaitable<http::Response> {
    const auto start = std::chrono::steady_clock::now();
    const std::string method = request.method;
    const std::string target = request.target;
    http::Response response = co_await handler(request);
    const auto elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
    spdlog::debug("http {} {} {} {} {:.1f} ms{}", request.remote, method, target, response.status,
                  elapsed.count(), response.stream ? " (stream)" : "");
    co_return response;
  };
}

http::Response health(const App::Impl& impl) {
  const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::steady_clock::now() - impl.started_at);
  const bool ready = impl.ready.load();
  json::object body{{"status", ready ? "ok" : "starting"},
                    {"version", kVersion},
                    {"uptime_s", uptime.count()},
                    {"project", impl.options.project_root.string()}};
  // Not ready: runs are being recovered; a load balancer or script should wait.
  return http::Response::json(ready ? 200 : 503, json::serialize(body));
}

}  // namespace

http::Router App::Impl::make_router() {
  http::Router router;
  // Every method goes to the MCP server, which answers the ones it does not serve with the
  // transport's own 405 (a JSON-RPC error with Allow).
  for (const char* method : {"POST", "GET", "DELETE", "PUT", "PATCH", "OPTIONS"}) {
    router.add(method, "/mcp",
               logged([this](http::Request& request) { return mcp_endpoint->handle(request); }),
               "mcp");
  }
  router.add("GET", "/healthz", logged([this](http::Request&) -> asio::awaitable<http::Response> {
               co_return health(*this);
             }),
             "healthz");
  router.add("GET", "/metrics", logged([this](http::Request&) -> asio::awaitable<http::Response> {
               co_await serve_metrics.refresh(pool(), pipeline());
               co_return http::metrics_response(*metrics);
             }),
             "metrics");
  // `stork token revoke`: every board login ends (the bearer token itself is unchanged).
  router.add(
      "DELETE", "/api/sessions", logged([this](http::Request&) -> asio::awaitable<http::Response> {
        const auto revoked = http->revoke_sessions();
        spdlog::info("sessions: {} board login(s) revoked", revoked);
        co_return http::Response::json(200, json::serialize(json::object{{"revoked", revoked}}));
      }),
      "sessions");
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    router.add(method, "/api/*",
               logged([this](http::Request& request) { return api_routes.dispatch(request); }),
               "api");
  }
  return router;
}

Result<std::shared_ptr<const ProjectConfig>, std::string> App::Impl::reload_config() {
  const auto file = options.project_root / ".storkit" / "project.toml";
  auto loaded = load_project_config(file);
  if (!loaded.ok()) return fail(render_all(loaded.error()));
  auto fresh = std::make_shared<const ProjectConfig>(std::move(loaded.value().config));
  set_config(fresh);
  // The pool and the pipeline take it on their strands; runs already started keep theirs.
  asio::co_spawn(
      io,
      [pool = graph->pool.get(), pipeline = graph->pipeline.get(),
       fresh]() -> asio::awaitable<void> {
        co_await pool->set_config(fresh);
        co_await pipeline->set_config(fresh);
      },
      asio::detached);
  // The listeners and the chat bot were built from the settings the server started with.
  const auto needs_restart = RestartSettings::read(file).changed_since(started_settings);
  if (needs_restart.empty()) {
    spdlog::info("configuration reloaded from project.toml");
  } else {
    spdlog::warn(
        "configuration reloaded from project.toml, except {}: restart stork serve to apply {}",
        fmt::join(needs_restart, " and "), needs_restart.size() == 1 ? "it" : "them");
  }
  return fresh;
}

void App::Impl::watch_config() {
  const auto file = options.project_root / ".storkit" / "project.toml";
  auto watcher = ConfigWatcher::start(config_strand, file, std::chrono::milliseconds(200), [this] {
    auto reloaded = reload_config();
    if (!reloaded.ok()) {
      spdlog::error("project.toml changed but has errors; the running configuration stays:\n{}",
                    reloaded.error());
    }
  });
  if (!watcher.ok()) {
    spdlog::warn("project.toml is not watched ({}): restart stork serve after editing it",
                 watcher.error());
    return;
  }
  config_watcher = std::move(watcher.value());
}

void App::Impl::register_services() {
  api::ApiServices api_services;
  api_services.project_root = options.project_root;
  api_services.base_branch = graph->base_branch;
  api_services.pool = graph->pool.get();
  api_services.pipeline = graph->pipeline.get();
  api_services.config = [this] { return config(); };
  api_services.metrics = metrics;
  api_services.items = graph->items;
  api_services.permissions = graph->permissions;
  api_services.wizard = graph->wizard;
  api_services.workers = graph->worker_executor();
  api_services.notifier = graph->notifier.get();
  api::add_rest_routes(api_routes.router(), api_services);

  // The WebSocket event stream; the hub starts (subscribes to pool and pipeline) in start_up.
  hub = api::EventHub::create(io.get_executor(), api_services);
  http->set_ws_handler("/ws", hub->handler());
}

}  // namespace stork::app
