#include "cli/run_command.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "agents/agent_pool.hpp"
#include "agents/event_summary.hpp"
#include "app/object_graph.hpp"
#include "app/run_mcp_listener.hpp"
#include "cli/project_locator.hpp"
#include "config/config_loader.hpp"
#include "engine/pipeline.hpp"

namespace stork::cli {
namespace asio = boost::asio;
namespace {

using Strand = asio::strand<asio::any_io_executor>;

struct RunOptions {
  std::vector<std::string> stories;
  std::string agent;
  bool pipeline = false;
};

// A quiet spell must last this long, with nothing reported, before --pipeline ends: a write
// under .storkit/work reaches the pipeline through its watcher's debounce (150 ms), and a
// finished run through a hop from the pool's strand to the pipeline's.
constexpr std::chrono::milliseconds kSettle{500};
// The pipeline reports what it does, except the end of a reconcile that changed nothing: while
// something is under way with nothing reported, look again this often.
constexpr std::chrono::seconds kBusyRecheck{2};
// The agents are gone when the MCP listener stops; a stream still open has this long to end.
constexpr std::chrono::milliseconds kMcpGrace{1000};

// What the pool and the pipeline reported, counted, and a wake-up for whoever waits on the
// count. Listeners run on the actors' strands and post here; everything else runs on `strand`.
struct Changes : std::enable_shared_from_this<Changes> {
  explicit Changes(Strand on) : strand(std::move(on)), timer(strand) {}

  void note() {
    asio::post(strand, [self = shared_from_this()] {
      ++self->version;
      self->timer.cancel();
    });
  }
  // Returns once something was reported after `seen`, or after `limit`.
  asio::awaitable<void> wait_beyond(std::uint64_t seen, std::chrono::milliseconds limit) {
    if (version != seen) co_return;
    timer.expires_after(limit);
    boost::system::error_code cancelled;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, cancelled));
  }

  Strand strand;
  asio::steady_timer timer;
  std::uint64_t version = 0;
};

bool any_agent_active(const std::vector<agents::AgentInfo>& runs) {
  return std::any_of(runs.begin(), runs.end(),
                     [](const agents::AgentInfo& info) { return agents::is_active(info.status); });
}

// (No co_await inside && and no temporary with a destructor in a co_await: GCC 12.)
asio::awaitable<bool> quiet(agents::AgentPool& pool, engine::Pipeline& pipeline) {
  const auto runs = co_await pool.list_agents();
  if (any_agent_active(runs)) co_return false;
  const bool idle = co_await pipeline.idle();
  co_return idle;
}

// Returns when nothing moves any more: no agent active, the pipeline idle, and still so after a
// settle spell in which neither reported anything. Re-checks when they report, not on a clock.
asio::awaitable<void> until_quiet(agents::AgentPool& pool, engine::Pipeline& pipeline,
                                  const std::shared_ptr<Changes>& changes) {
  for (;;) {
    const auto seen = changes->version;
    if (!co_await quiet(pool, pipeline)) {
      co_await changes->wait_beyond(seen, kBusyRecheck);
      continue;
    }
    co_await changes->wait_beyond(seen, kSettle);
    if (changes->version != seen) continue;
    if (co_await quiet(pool, pipeline)) co_return;
  }
}

asio::awaitable<int> start_stories(agents::AgentPool& pool, const RunOptions& options,
                                   CliContext& context) {
  int failures = 0;
  for (const auto& story : options.stories) {
    agents::StartRequest request;
    request.story = story;
    if (!options.agent.empty()) request.agent = options.agent;
    auto starting = pool.start_agent(request);
    auto started = co_await std::move(starting);
    if (started.ok()) continue;
    // Queued is not a failure here: the pipeline gives the item a coder when one is free.
    const bool queued = started.error().kind == agents::PoolError::Kind::Queued;
    context.err << (queued ? "stork: " : "stork: error: ") << started.error().message << "\n";
    if (!queued) ++failures;
  }
  co_return failures;
}

// --pipeline: the whole pipeline drives the items (gates, QA, merges) until nothing moves. Runs
// on `strand`.
asio::awaitable<int> run_pipeline(agents::AgentPool& pool, engine::Pipeline& pipeline,
                                  const Strand& strand, const RunOptions& options,
                                  CliContext& context) {
  auto changes = std::make_shared<Changes>(strand);
  // GCC 12 destroys arguments with destructors twice when the call sits in a co_await: every
  // call that takes one is made first, and its awaitable awaited after.
  engine::PipelineListener on_pipeline = [&context, changes](const engine::PipelineEvent& event) {
    context.out << "pipeline " << (event.story.empty() ? "-" : event.story) << " " << event.type
                << " " << event.payload << "\n";
    context.out.flush();
    changes->note();
  };
  agents::PoolListener on_runs = [changes](const std::vector<agents::AgentEvent>&) {
    changes->note();
  };
  auto pipeline_subscribing = pipeline.subscribe(on_pipeline);
  const auto pipeline_listener = co_await std::move(pipeline_subscribing);
  auto pool_subscribing = pool.subscribe(on_runs);
  const auto pool_listener = co_await std::move(pool_subscribing);
  const auto resumed_runs = co_await pool.recover();
  for (const auto& resumed : resumed_runs) {
    context.out << "resuming " << resumed.agent_name << " on " << resumed.story_id << "\n";
  }
  co_await pipeline.start();
  const int failures = co_await start_stories(pool, options, context);
  co_await until_quiet(pool, pipeline, changes);
  co_await pool.unsubscribe(pool_listener);
  co_await pipeline.unsubscribe(pipeline_listener);
  co_await pipeline.stop(std::chrono::seconds(5));
  co_return failures == 0 ? kExitOk : kExitFailure;
}

asio::awaitable<int> run_agents(agents::AgentPool& pool, const RunOptions& options,
                                CliContext& context) {
  std::vector<std::pair<std::string, std::string>> runs;  // (story, agent)
  const auto resumed_runs = co_await pool.recover();
  for (const auto& resumed : resumed_runs) {
    context.out << "resuming " << resumed.agent_name << " on " << resumed.story_id
                << " (its run was interrupted)\n";
    runs.emplace_back(resumed.story_id, resumed.agent_name);
  }
  int failures = 0;
  for (const auto& story : options.stories) {
    agents::StartRequest request;
    request.story = story;
    if (!options.agent.empty()) request.agent = options.agent;
    auto starting = pool.start_agent(request);
    auto started = co_await std::move(starting);
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
    auto waiting = pool.wait_for_agent(story, agent, std::chrono::hours(24 * 365));
    auto ended = co_await std::move(waiting);
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

// Every event of every run, one line each.
void print_events(CliContext& context, const std::vector<agents::AgentEvent>& events) {
  for (const auto& event : events) {
    context.out << event.story << " " << event.agent << " #" << event.seq << " "
                << agents::summarize(event) << "\n";
  }
  context.out.flush();
}

// Runs the agents (and with --pipeline the pipeline) on `io` until they are done or a signal
// stops them; returns the exit code.
int drive(asio::io_context& io, app::ObjectGraph& graph, app::RunMcpListener& mcp,
          const RunOptions& options, CliContext& context) {
  agents::AgentPool& agents = *graph.pool;
  int exit_code = kExitOk;
  bool interrupted = false;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    interrupted = true;
    context.err << "stork: stopping the agents; their runs resume at the next start\n";
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          co_await agents.shutdown();
          co_await mcp.stop(kMcpGrace);
        },
        [&](std::exception_ptr) { io.stop(); });
  });
  const Strand strand = asio::make_strand(io.get_executor());
  asio::co_spawn(
      strand,
      [&]() -> asio::awaitable<void> {
        agents::PoolListener print = [&context](const std::vector<agents::AgentEvent>& events) {
          print_events(context, events);
        };
        auto subscribing = agents.subscribe(print);
        co_await std::move(subscribing);
        if (graph.pipeline) {
          exit_code = co_await run_pipeline(agents, *graph.pipeline, strand, options, context);
          co_await agents.shutdown();
        } else {
          exit_code = co_await run_agents(agents, options, context);
        }
        co_await mcp.stop(kMcpGrace);
        signals.cancel();
      },
      [&](std::exception_ptr error) {
        if (!error) return;
        exit_code = kExitFailure;
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          context.err << "stork: " << e.what() << "\n";
        }
      });
  io.run();
  return interrupted ? 130 : exit_code;
}

// The project's configuration, its diagnostics printed; null when it has errors.
std::shared_ptr<const ProjectConfig> load_config(CliContext& context,
                                                 const std::filesystem::path& root) {
  auto loaded = load_project_config(root / ".storkit" / "project.toml");
  if (!loaded.ok()) {
    for (const auto& diagnostic : loaded.error())
      context.err << diagnostic.render() << "\n";
    return nullptr;
  }
  for (const auto& warning : loaded.value().warnings)
    context.err << warning.render() << "\n";
  return std::make_shared<const ProjectConfig>(std::move(loaded.value().config));
}

void run(CliContext& context, const RunOptions& options) {
  // Events are printed below, one line each; the log would say everything twice.
  spdlog::set_level(spdlog::level::warn);
  auto root = locate_project(context.cwd, context.project_flag);
  if (!root.ok()) return context.fail(kExitUsage, root.error().message);
  auto config = load_config(context, root.value());
  if (!config) return context.fail(kExitFailure, "the configuration has errors");

  asio::io_context io;  // outlives the listener and the graph
  // Bound before the graph is built: the agents are told its URL and token.
  auto mcp = app::RunMcpListener::open(io.get_executor());
  if (!mcp.ok()) return context.fail(kExitFailure, mcp.error());
  app::GraphOptions graph_options;
  graph_options.project_root = root.value();
  graph_options.config = [config] { return config; };
  graph_options.with_pipeline = options.pipeline;
  graph_options.mcp_url = mcp.value()->url();
  graph_options.mcp_token = mcp.value()->token();
  auto graph = app::build_object_graph(io.get_executor(), std::move(graph_options));
  if (!graph.ok()) return context.fail(kExitFailure, graph.error());
  mcp.value()->attach(*graph.value()->mcp);
  context.exit_code = drive(io, *graph.value(), *mcp.value(), options, context);
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
