#include "cli/run_command.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "agents/agent_pool.hpp"
#include "agents/event_summary.hpp"
#include "cli/project_locator.hpp"
#include "config/config_loader.hpp"
#include "engine/pipeline.hpp"
#include "git/base_branch.hpp"
#include "mcp/server.hpp"
#include "mcp/tool_registry.hpp"
#include "stork/version.hpp"
#include "tools/agent_tool_host.hpp"
#include "tools/tool_services.hpp"

namespace stork::cli {
namespace asio = boost::asio;
namespace {

struct RunOptions {
  std::vector<std::string> stories;
  std::string agent;
  bool pipeline = false;
};

bool any_agent_active(const std::vector<agents::AgentInfo>& runs) {
  return std::any_of(runs.begin(), runs.end(),
                     [](const agents::AgentInfo& info) { return agents::is_active(info.status); });
}

// --pipeline: the whole pipeline drives the items (gates, QA, merges) until nothing moves: no
// agent active and the pipeline idle on two checks in a row.
asio::awaitable<int> run_pipeline(agents::AgentPool& pool, engine::Pipeline& pipeline,
                                  const RunOptions& options, CliContext& context) {
  co_await pipeline.subscribe([&](const engine::PipelineEvent& event) {
    context.out << "pipeline " << (event.story.empty() ? "-" : event.story) << " " << event.type
                << " " << event.payload << "\n";
    context.out.flush();
  });
  for (const auto& resumed : co_await pool.recover()) {
    context.out << "resuming " << resumed.agent_name << " on " << resumed.story_id << "\n";
  }
  co_await pipeline.start();
  int failures = 0;
  for (const auto& story : options.stories) {
    agents::StartRequest request;
    request.story = story;
    if (!options.agent.empty()) request.agent = options.agent;
    auto started = co_await pool.start_agent(request);
    if (started.ok()) continue;
    // Queued is not a failure here: the pipeline gives the item a coder when one is free.
    const bool queued = started.error().kind == agents::PoolError::Kind::Queued;
    context.err << (queued ? "stork: " : "stork: error: ") << started.error().message << "\n";
    if (!queued) ++failures;
  }
  asio::steady_timer timer(co_await asio::this_coro::executor);
  int quiet_checks = 0;
  while (quiet_checks < 2) {
    timer.expires_after(std::chrono::milliseconds(250));
    co_await timer.async_wait(asio::use_awaitable);
    const bool quiet = !any_agent_active(co_await pool.list_agents()) && co_await pipeline.idle();
    quiet_checks = quiet ? quiet_checks + 1 : 0;
  }
  co_await pipeline.stop(std::chrono::seconds(5));
  co_return failures == 0 ? kExitOk : kExitFailure;
}

asio::awaitable<int> run_agents(agents::AgentPool& pool, const RunOptions& options,
                                CliContext& context) {
  std::vector<std::pair<std::string, std::string>> runs;  // (story, agent)
  for (const auto& resumed : co_await pool.recover()) {
    context.out << "resuming " << resumed.agent_name << " on " << resumed.story_id
                << " (its run was interrupted)\n";
    runs.emplace_back(resumed.story_id, resumed.agent_name);
  }
  int failures = 0;
  for (const auto& story : options.stories) {
    agents::StartRequest request;
    request.story = story;
    if (!options.agent.empty()) request.agent = options.agent;
    auto started = co_await pool.start_agent(request);
    if (!started.ok()) {
      context.err << "stork: " << started.error().message << "\n";
      ++failures;
      continue;
    }
    context.out << "started " << started.value().agent_name << " on " << started.value().story_id
                << "\n";
    runs.emplace_back(started.value().story_id, started.value().agent_name);
  }
  for (const auto& [story, agent] : runs) {
    auto ended = co_await pool.wait_for_agent(story, agent, std::chrono::hours(24 * 365));
    if (!ended.ok()) {
      context.err << "stork: " << ended.error().message << "\n";
      ++failures;
      continue;
    }
    const auto& info = ended.value();
    context.out << agent << " on " << story << ": " << to_string(info.status) << " ("
                << info.exit_reason << ")\n";
    if (info.status != agents::AgentStatus::Completed) ++failures;
  }
  co_return failures == 0 ? kExitOk : kExitFailure;
}

void run(CliContext& context, const RunOptions& options) {
  // Events are printed below, one line each; the log would say everything twice.
  spdlog::set_level(spdlog::level::warn);
  auto root = locate_project(context.cwd, context.project_flag);
  if (!root.ok()) return context.fail(kExitUsage, root.error().message);
  auto loaded = load_project_config(root.value() / ".storkit" / "project.toml");
  if (!loaded.ok()) {
    for (const auto& diagnostic : loaded.error())
      context.err << diagnostic.render() << "\n";
    return context.fail(kExitFailure, "the configuration has errors");
  }
  for (const auto& warning : loaded.value().warnings)
    context.err << warning.render() << "\n";

  asio::io_context io;
  auto config = std::make_shared<const ProjectConfig>(loaded.value().config);
  // The API runtimes (openai, gemini) call stork's tools in-process: an MCP server without a
  // transport. Declared before the pool, so it outlives the runs that use it.
  auto tool_registry = std::make_shared<mcp::ToolRegistry>();
  mcp::ServerInfo server_info;
  server_info.version = kVersion;
  mcp::Server tool_server(io.get_executor(), server_info, tool_registry);
  agents::PoolOptions pool_options;
  pool_options.project_root = root.value();
  pool_options.tool_host =
      tools::make_agent_tool_host(io.get_executor(), tool_server, tool_registry, root.value());
  auto pool = agents::AgentPool::open(io.get_executor(), config, pool_options);
  if (!pool.ok()) return context.fail(kExitFailure, pool.error());
  agents::AgentPool& agents = *pool.value();
  std::unique_ptr<engine::Pipeline> pipeline;
  if (options.pipeline) {
    engine::PipelineOptions pipeline_options;
    pipeline_options.project_root = root.value();
    auto opened = engine::Pipeline::open(io.get_executor(), config, agents, pipeline_options);
    if (!opened.ok()) return context.fail(kExitFailure, opened.error());
    pipeline = std::move(opened.value());
    // storkit's tools write items through the pipeline: without --pipeline an API run has
    // only the worktree tools.
    tools::ToolServices services;
    services.project_root = root.value();
    auto base = resolve_base_branch(root.value(), config->base_branch);
    services.base_branch = base.ok() ? base.value() : config->base_branch.value_or("main");
    services.pool = &agents;
    services.pipeline = pipeline.get();
    services.config = [config] { return config; };
    services.reload_config = []() -> Result<std::shared_ptr<const ProjectConfig>, std::string> {
      return fail(std::string("reload_agent_config is not available under `stork run`"));
    };
    tools::register_storkit_tools(*tool_registry, services);
  }

  int exit_code = kExitOk;
  bool interrupted = false;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    interrupted = true;
    context.err << "stork: stopping the agents; their runs resume at the next start\n";
    asio::co_spawn(io, agents.shutdown(), [&](std::exception_ptr) { io.stop(); });
  });
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await agents.subscribe([&](const std::vector<agents::AgentEvent>& events) {
          for (const auto& event : events) {
            context.out << event.story << " " << event.agent << " #" << event.seq << " "
                        << agents::summarize(event) << "\n";
          }
          context.out.flush();
        });
        if (pipeline) {
          exit_code = co_await run_pipeline(agents, *pipeline, options, context);
          co_await agents.shutdown();
        } else {
          exit_code = co_await run_agents(agents, options, context);
        }
        signals.cancel();
      },
      [&](std::exception_ptr error) {
        if (error) {
          exit_code = kExitFailure;
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& e) {
            context.err << "stork: " << e.what() << "\n";
          }
        }
      });
  io.run();
  context.exit_code = interrupted ? 130 : exit_code;
}

}  // namespace

void add_run_command(CLI::App& app, CliContext& context) {
  auto options = std::make_shared<RunOptions>();
  auto* command = app.add_subcommand(
      "run", "Run agents in the foreground (no server): resume interrupted runs, start STORY...");
  command->add_option("story", options->stories, "Items to start an agent on (id or number)");
  command->add_option("--agent", options->agent, "The agent to start (default: a free coder)");
  command->add_flag("--pipeline", options->pipeline,
                    "Drive the whole pipeline (gates, QA, merges, auto-assign) until nothing "
                    "moves any more");
  command->callback([&context, options] { run(context, *options); });
}

}  // namespace stork::cli
