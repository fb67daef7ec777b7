// ObjectGraph: the one composition root of a project's engine, built alike for `stork serve`
// (App) and `stork run`: the shared worker pool, the MCP tool registry and server (storkit's
// tools when there is a pipeline), the agent pool with the API runtimes' tool host, the pipeline.
// Its builder owns it and keeps the io_context alive longer. It never runs the io_context, binds
// a port or starts anything (recover, start and shutdown are the owner's awaitable steps).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>

#include "base/result.hpp"
#include "config/project_config.hpp"

namespace stork::agents {
class AgentPool;
}
namespace stork::engine {
class Pipeline;
}
namespace stork::ops {
class ItemOps;
class PermissionOps;
class WizardOps;
}  // namespace stork::ops
namespace stork::notify {
class Notifier;
}
namespace stork::chat {
class ChatTransport;
}
namespace stork::tools {
class AgentPermissionHost;
}
namespace stork::mcp {
class Server;
class ToolRegistry;
}  // namespace stork::mcp

namespace stork::app {

using ConfigReload = std::function<Result<std::shared_ptr<const ProjectConfig>, std::string>()>;

struct GraphOptions {
  std::filesystem::path project_root;  // the directory that holds .storkit/
  // The configuration in force, asked again on every use (`serve` reloads it).
  std::function<std::shared_ptr<const ProjectConfig>()> config;
  // reload_agent_config; empty: the tool answers that this server cannot reload.
  ConfigReload reload_config;
  // Where agents reach stork's MCP server (each worktree's .mcp.json) and its bearer token;
  // empty: the pool's default (`stork run` serves no MCP transport).
  std::string mcp_url;
  std::optional<std::string> mcp_token;
  // Without a pipeline (`stork run` without --pipeline) no storkit tool is registered: they
  // write items through the pipeline. API runs then have the worktree tools only.
  bool with_pipeline = true;
  // Notification links without `[server] public_url` point here (the server's own address).
  std::string board_url;
  std::size_t worker_threads = 2;  // the shared pool's threads
};

struct ObjectGraph {
  explicit ObjectGraph(std::size_t worker_threads);
  ~ObjectGraph();
  ObjectGraph(const ObjectGraph&) = delete;
  ObjectGraph& operator=(const ObjectGraph&) = delete;

  // The shared pool's executor, for ToolServices::workers, ApiServices::workers and offload().
  boost::asio::any_io_executor worker_executor();

  std::string base_branch;  // resolved from the configuration and the repository
  // Construction order; destroyed in reverse: the pipeline before the pool it drives, the pool
  // before the MCP server its tool host calls, the registry after the server, and the workers
  // last (joined once nothing that queues work on them is left).
  boost::asio::thread_pool workers;
  std::shared_ptr<mcp::ToolRegistry> tools;
  std::unique_ptr<mcp::Server> mcp;
  std::unique_ptr<agents::AgentPool> pool;
  std::unique_ptr<engine::Pipeline> pipeline;  // null without GraphOptions::with_pipeline
  // Every item operation, for the MCP tools, REST and chat; null without a pipeline (the
  // operations write items through it).
  std::shared_ptr<ops::ItemOps> items;
  // Notifications (docs/notifications.md); null without a pipeline. Its owner starts it after
  // the pipeline and stops it before. permission requests and other reports: notify().
  std::unique_ptr<notify::Notifier> notifier;
  // Agents' permission questions held for a person (prompt_permission, /api/permissions); null
  // without a pipeline, like `items`.
  std::shared_ptr<ops::PermissionOps> permissions;
  // The setup wizard (wizard_* tools, /api/wizard); null without a pipeline, like `items`.
  std::shared_ptr<ops::WizardOps> wizard;
  // The acp runtime's way into `permissions` (bound once they exist).
  std::shared_ptr<tools::AgentPermissionHost> permission_host;
  // The Matrix bot ([chat.matrix]); null without one. Started after the notifier, stopped
  // before it (app_run.cpp).
  std::unique_ptr<chat::ChatTransport> chat;
};

// Builds the graph on `io` (the executor its actors' strands and the MCP server run on). The
// error says what could not be opened (the base branch, the state database, the pipeline).
Result<std::unique_ptr<ObjectGraph>, std::string> build_object_graph(
    const boost::asio::any_io_executor& io, GraphOptions options);

}  // namespace stork::app
