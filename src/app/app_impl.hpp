// The state of a running App, shared by its source files (open, routes, run). Private to the
// app module. Member order is destruction order in reverse: the event hub and the HTTP server
// go first, then the routes and the MCP endpoint their handlers reach, then the object graph
// (pipeline, pool, MCP server, shared workers), and the io_context last.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "agents/agent_pool.hpp"
#include "api/event_hub.hpp"
#include "app/app.hpp"
#include "app/config_watcher.hpp"
#include "app/deferred_routes.hpp"
#include "app/mcp_endpoint.hpp"
#include "app/object_graph.hpp"
#include "app/restart_settings.hpp"
#include "app/serve_lock.hpp"
#include "app/serve_metrics.hpp"
#include "base/wait_group.hpp"
#include "config/project_config.hpp"
#include "engine/pipeline.hpp"
#include "http/metrics.hpp"
#include "http/server.hpp"
#include "mcp/server.hpp"
#include "mcp/tool_registry.hpp"

namespace stork::app {

struct App::Impl {
  explicit Impl(AppOptions options_in);

  AppOptions options;
  std::optional<ServeLock> serve_lock;  // held for the whole life of the server
  std::chrono::steady_clock::time_point started_at = std::chrono::steady_clock::now();

  boost::asio::io_context io;
  std::shared_ptr<http::Metrics> metrics = std::make_shared<http::Metrics>();
  ServeMetrics serve_metrics{*metrics};
  std::unique_ptr<ObjectGraph> graph;  // built once the port is bound (agents need the URL)
  std::unique_ptr<McpEndpoint> mcp_endpoint;
  DeferredRoutes api_routes;
  std::unique_ptr<http::Server> http;
  std::unique_ptr<http::Server> local_http;  // under TLS: plain, on 127.0.0.1 (local_listener.hpp)
  std::string scheme = "http";               // https with --tls-cert
  std::string url;                     // http://HOST:PORT as a browser on this machine reaches it
  std::string mcp_url;                 // what agents are told (.mcp.json in their worktrees)
  std::shared_ptr<api::EventHub> hub;  // /ws
  // project.toml's watcher and the strand its handlers (and stop()) run on.
  boost::asio::strand<boost::asio::io_context::executor_type> config_strand{io.get_executor()};
  std::unique_ptr<ConfigWatcher> config_watcher;
  // [server] and [chat.matrix] as the server started with them; set once in App::open.
  RestartSettings started_settings;

  agents::AgentPool& pool() const { return *graph->pool; }
  engine::Pipeline& pipeline() const { return *graph->pipeline; }

  std::atomic<bool> ready{false};  // start-up finished: runs recovered, pipeline started
  WaitGroup startup;               // counts start-up while it runs (see run())
  std::atomic<bool> stopping{false};
  std::atomic<int> exit_code{0};

  std::shared_ptr<const ProjectConfig> config() const;
  // Re-reads project.toml; applies it to the pool and the pipeline when it has no errors.
  Result<std::shared_ptr<const ProjectConfig>, std::string> reload_config();
  void set_config(std::shared_ptr<const ProjectConfig> config);
  // Reloads project.toml whenever it changes on disk (reports errors, keeps the running one).
  void watch_config();

  // The HTTP routes: /mcp, /healthz, /metrics and the mount point of the REST API.
  http::Router make_router();
  // Builds the object graph (the MCP server with the tools, the pool, the pipeline) and puts
  // /mcp on its MCP server.
  Result<void, AppError> build_graph();
  // Under TLS: the plain listener on 127.0.0.1 that .mcp.json names (local_listener.hpp).
  Result<void, AppError> open_local(const http::ServerOptions& server_options, http::Router router);
  // Fills in what needs the pool and the pipeline: REST routes and the event stream.
  void register_services();

  boost::asio::awaitable<void> start_up(std::function<void()> on_ready);
  boost::asio::awaitable<void> start_notifications();
  boost::asio::awaitable<void> shut_down();
  void request_stop();

 private:
  mutable std::mutex config_mutex_;
  std::shared_ptr<const ProjectConfig> config_;
};

}  // namespace stork::app
