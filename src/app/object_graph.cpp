#include "app/object_graph.hpp"

#include <algorithm>
#include <utility>

#include "agents/agent_pool.hpp"
#include "app/chat_wiring.hpp"
#include "chat/chat_transport.hpp"
#include "engine/pipeline.hpp"
#include "git/base_branch.hpp"
#include "mcp/server.hpp"
#include "mcp/tool_registry.hpp"
#include "notify/notifier.hpp"
#include "ops/item_ops.hpp"
#include "ops/permission_ops.hpp"
#include "ops/wizard_ops.hpp"
#include "stork/version.hpp"
#include "tools/agent_permission_host.hpp"
#include "tools/agent_tool_host.hpp"
#include "tools/tool_services.hpp"

namespace stork::app {
namespace asio = boost::asio;

namespace {

mcp::ServerInfo server_info() {
  mcp::ServerInfo info;
  info.name = "storkit";
  info.version = kVersion;
  info.instructions =
      "stork runs coding agents on this repository's work items (.storkit/work). Use these "
      "tools to read and update items and to drive agents through the pipeline.";
  return info;
}

Result<std::unique_ptr<agents::AgentPool>, std::string> open_pool(const asio::any_io_executor& io,
                                                                  ObjectGraph& graph,
                                                                  const GraphOptions& options) {
  agents::PoolOptions pool_options;
  pool_options.project_root = options.project_root;
  if (!options.mcp_url.empty()) pool_options.mcp_url = options.mcp_url;
  if (options.mcp_token) pool_options.mcp_token = *options.mcp_token;
  // The API runtimes (openai, gemini) call stork's tools in-process, through the MCP server
  // without a transport.
  pool_options.tool_host = tools::make_agent_tool_host(
      io, *graph.mcp, graph.tools, options.project_root, graph.worker_executor());
  graph.permission_host = std::make_shared<tools::AgentPermissionHost>(io);
  pool_options.permission_host = graph.permission_host;
  return agents::AgentPool::open(io, options.config(), std::move(pool_options));
}

Result<std::unique_ptr<engine::Pipeline>, std::string> open_pipeline(
    const asio::any_io_executor& io, ObjectGraph& graph, const GraphOptions& options) {
  engine::PipelineOptions pipeline_options;
  pipeline_options.project_root = options.project_root;
  pipeline_options.workers = graph.worker_executor();
  return engine::Pipeline::open(io, options.config(), *graph.pool, std::move(pipeline_options));
}

void register_tools(ObjectGraph& graph, GraphOptions& options) {
  tools::ToolServices services;
  services.project_root = options.project_root;
  services.base_branch = graph.base_branch;
  if (!options.mcp_url.empty()) services.mcp_url = options.mcp_url;
  if (options.mcp_token) services.mcp_token = *options.mcp_token;
  services.pool = graph.pool.get();
  services.pipeline = graph.pipeline.get();
  services.workers = graph.worker_executor();
  services.items = graph.items;
  services.permissions = graph.permissions;
  services.wizard = graph.wizard;
  services.config = options.config;
  services.reload_config = std::move(options.reload_config);
  tools::register_storkit_tools(*graph.tools, services);
}

// A question held for a person is a `permission_request` notification, once per request id.
void notify_permission_requests(ops::PermissionOps& permissions, notify::Notifier& notifier) {
  permissions.on_request([&notifier](const ops::PendingPermission& pending) {
    const auto& question = pending.question;
    std::string input = question.input_json;
    if (input.size() > 300) input = input.substr(0, 300) + "...";
    notifier.notify(notify::NotificationEvent{
        "permission_request", question.story,
        (question.agent.empty() ? std::string("an agent") : question.agent) + " asks to use " +
            question.tool_name + (question.story.empty() ? "" : " on " + question.story),
        input + "\nAllow or deny on the board, or: stork permission allow|deny " + pending.id,
        "permission:" + pending.id, 0});
  });
}

// The wizard's drafts by its agent: one read-only run through the pool (AgentPool::draft_once).
ops::WizardDrafter wizard_drafter(agents::AgentPool& pool) {
  return [&pool](
             ops::WizardDraftRequest request) -> asio::awaitable<Result<std::string, std::string>> {
    agents::OneShotRequest one_shot{request.agent, request.cwd, request.prompt};
    auto answer = co_await pool.run_once(one_shot);
    co_return answer;
  };
}

}  // namespace

ObjectGraph::ObjectGraph(std::size_t worker_threads)
    : workers(std::max<std::size_t>(worker_threads, 1)),
      tools(std::make_shared<mcp::ToolRegistry>()) {}

ObjectGraph::~ObjectGraph() = default;

asio::any_io_executor ObjectGraph::worker_executor() {
  return workers.get_executor();
}

Result<std::unique_ptr<ObjectGraph>, std::string> build_object_graph(
    const asio::any_io_executor& io, GraphOptions options) {
  const auto config = options.config();
  auto base = resolve_base_branch(options.project_root, config->base_branch);
  if (!base.ok()) return fail(base.error().message);

  auto graph = std::make_unique<ObjectGraph>(options.worker_threads);
  graph->base_branch = std::move(base.value());
  graph->mcp = std::make_unique<mcp::Server>(io, server_info(), graph->tools);

  auto pool = open_pool(io, *graph, options);
  if (!pool.ok()) return fail(pool.error());
  graph->pool = std::move(pool.value());
  if (!options.with_pipeline) return graph;

  auto pipeline = open_pipeline(io, *graph, options);
  if (!pipeline.ok()) return fail(pipeline.error());
  graph->pipeline = std::move(pipeline.value());
  auto notifier = notify::Notifier::open(
      io, notify::NotifierOptions{options.project_root, graph->worker_executor(), options.config,
                                  options.board_url});
  if (!notifier.ok()) return fail(notifier.error());
  graph->notifier = std::move(notifier.value());
  graph->items = std::make_shared<ops::ItemOps>(
      ops::OpsServices{options.project_root, graph->pipeline.get(), graph->pool.get(),
                       options.config, graph->worker_executor(), graph->notifier.get()});
  graph->permissions = std::make_shared<ops::PermissionOps>(
      io, ops::OpsServices{options.project_root, graph->pipeline.get(), graph->pool.get(),
                           options.config, graph->worker_executor(), graph->notifier.get()});
  graph->permission_host->bind(graph->permissions);
  notify_permission_requests(*graph->permissions, *graph->notifier);
  graph->wizard = std::make_shared<ops::WizardOps>(
      io,
      ops::OpsServices{options.project_root, graph->pipeline.get(), graph->pool.get(),
                       options.config, graph->worker_executor(), graph->notifier.get()},
      wizard_drafter(*graph->pool));
  register_tools(*graph, options);
  graph->chat = build_chat_bot(io, *graph, options);
  return graph;
}

}  // namespace stork::app
