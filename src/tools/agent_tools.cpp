// Tools on agent runs: start, stop, list, read output, wait, and the coder's report that its
// work is finished. The pool owns the runs and the pipeline decides completions; these tools
// only translate arguments and answers.
#include <algorithm>
#include <chrono>

#include <boost/json/parse.hpp>

#include "agents/event_summary.hpp"
#include "ops/agent_ops.hpp"
#include "tools/tool_groups.hpp"
#include "tools/tool_support.hpp"

namespace stork::tools {
namespace asio = boost::asio;
namespace {

using Handler = asio::awaitable<mcp::ToolResult>;

mcp::Tool start_agent(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "start_agent";
  tool.title = "Start an agent on an item";
  tool.description =
      "Starts an agent on the item in its own worktree. Without agent_name a free coder is "
      "chosen (the item's preferred agent if it names one). A coder moves a backlog item to "
      "2_current; QA and mergemaster agents work on items in 3_qa and 4_merge. When no coder "
      "is free the item waits in 2_current and is picked up later.";
  tool.input_schema = input_schema({story_id_param(), agent_name_param(false)});
  tool.handler = [items = services.items](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto story = text_arg(args, "story_id");
    const auto agent = optional_text(args, "agent_name");
    ops::AgentOps agents(*items);
    auto started = co_await agents.start(story, agent);
    if (!started.ok()) co_return agent_op_error(started.error());
    auto answer = run_json(started.value());
    answer["message"] = started.value().agent_name + " is starting on " + started.value().story_id +
                        "; follow it with get_agent_output or wait_for_agent";
    co_return mcp::ToolResult::ok_json(std::move(answer));
  };
  return tool;
}

mcp::Tool stop_agent(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "stop_agent";
  tool.title = "Stop an agent";
  tool.description =
      "Stops the agent's run on the item (its whole process group); the worktree and its "
      "commits stay. A stopped coder is not restarted by auto-assign: start it again with "
      "start_agent.";
  tool.input_schema = input_schema({story_id_param(), agent_name_param(true)});
  tool.destructive = true;
  tool.idempotent = true;
  tool.handler = [items = services.items](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto story = text_arg(args, "story_id");
    const auto agent = text_arg(args, "agent_name");
    ops::AgentOps agents(*items);
    auto stopped = co_await agents.stop(story, agent);
    if (!stopped.ok()) co_return agent_op_error(stopped.error());
    co_return mcp::ToolResult::ok_json(run_json(stopped.value()));
  };
  return tool;
}

mcp::Tool list_agents(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "list_agents";
  tool.title = "Agent runs";
  tool.description =
      "Lists every run the server knows of: item, agent, status (pending, running, throttled, "
      "blocked, completed, failed, stopped, interrupted), model, session, worktree.";
  tool.input_schema = input_schema();
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [pool = services.pool](const json::object&, mcp::ToolContext&) -> Handler {
    auto listing = pool->list_agents();
    auto runs = co_await std::move(listing);
    json::array agents;
    for (const auto& run : runs)
      agents.push_back(run_json(run));
    co_return mcp::ToolResult::ok_json(json::object{{"agents", std::move(agents)}});
  };
  return tool;
}

json::object event_json(const agents::AgentEvent& event) {
  boost::system::error_code ec;
  auto payload = json::parse(event.payload, ec);
  return json::object{{"seq", event.seq},
                      {"type", event.type},
                      {"time_ms", event.time_ms},
                      {"summary", agents::summarize(event)},
                      {"payload", ec ? json::value(event.payload) : std::move(payload)}};
}

mcp::Tool get_agent_output(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "get_agent_output";
  tool.title = "An agent's events";
  tool.description =
      "The events of the agent's latest run on the item (output lines, assistant text, tool "
      "calls, status changes), oldest first, each with a one-line summary. Poll with "
      "after_seq = the last_seq of the previous answer to get only what is new.";
  tool.input_schema = input_schema(
      {story_id_param(),
       agent_name_param(true),
       {"after_seq",
        integer_schema("Only events after this one (default 0: from the start)", 0, INT64_MAX)},
       {"limit", integer_schema("At most this many events (default 200)", 1, 1000)}});
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [services](const json::object& args, mcp::ToolContext&) -> Handler {
    auto entry = locate_story(services.project_root, text_arg(args, "story_id"));
    if (!entry.ok()) co_return mcp::ToolResult::error(entry.error());
    const auto id = entry.value().id.str();
    const auto agent = text_arg(args, "agent_name");
    const auto after_seq = integer_arg(args, "after_seq", 0);
    const auto limit = static_cast<std::size_t>(integer_arg(args, "limit", 200));
    auto draining = services.pool->drain_events(id, agent, after_seq);
    auto drained = co_await std::move(draining);
    if (!drained.ok()) co_return pool_error(drained.error());
    const auto& all = drained.value();
    json::array events;
    std::int64_t last_seq = after_seq;
    for (std::size_t i = 0; i < all.size() && i < limit; ++i) {
      events.push_back(event_json(all[i]));
      last_seq = all[i].seq;
    }
    co_return mcp::ToolResult::ok_json(json::object{{"story_id", id},
                                                    {"agent_name", agent},
                                                    {"events", std::move(events)},
                                                    {"last_seq", last_seq},
                                                    {"more", all.size() > limit}});
  };
  return tool;
}

// The pool's wait in short slices, so the caller hears progress and a cancellation is noticed
// within a second.
asio::awaitable<agents::PoolResult<agents::AgentInfo>> wait_in_slices(agents::AgentPool& pool,
                                                                      const std::string& story,
                                                                      const std::string& agent,
                                                                      std::chrono::seconds timeout,
                                                                      mcp::ToolContext& ctx) {
  using namespace std::chrono;
  const auto start = steady_clock::now();
  auto next_progress = start + seconds(10);
  for (;;) {
    const auto left = duration_cast<milliseconds>(timeout - (steady_clock::now() - start));
    const auto slice = std::clamp(left, milliseconds(1), milliseconds(1000));
    auto waiting = pool.wait_for_agent(story, agent, slice);
    auto waited = co_await std::move(waiting);
    if (waited.ok() || waited.error().kind != agents::PoolError::Kind::Timeout) co_return waited;
    const auto now = steady_clock::now();
    if (ctx.cancelled() || now - start >= timeout) co_return waited;
    if (now >= next_progress) {
      next_progress = now + seconds(10);
      std::string message = agent;
      message += " is still working on ";
      message += story;
      ctx.progress(static_cast<double>(duration_cast<seconds>(now - start).count()),
                   static_cast<double>(timeout.count()), message);
    }
  }
}

mcp::Tool wait_for_agent(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "wait_for_agent";
  tool.title = "Wait for an agent to finish";
  tool.description =
      "Waits until the agent's run on the item has finished (completed, failed or stopped) and "
      "returns it; returns finished=false with the run as it is when timeout_secs pass first "
      "(call it again to keep waiting). Sends progress every 10 s.";
  tool.input_schema =
      input_schema({story_id_param(),
                    agent_name_param(true),
                    {"timeout_secs", integer_schema("How long to wait (default 300)", 1, 3600)}});
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [services](const json::object& args, mcp::ToolContext& ctx) -> Handler {
    auto entry = locate_story(services.project_root, text_arg(args, "story_id"));
    if (!entry.ok()) co_return mcp::ToolResult::error(entry.error());
    const auto id = entry.value().id.str();
    const auto agent = text_arg(args, "agent_name");
    const std::chrono::seconds timeout(integer_arg(args, "timeout_secs", 300));
    auto waited = co_await wait_in_slices(*services.pool, id, agent, timeout, ctx);
    if (waited.ok()) {
      auto answer = run_json(waited.value());
      answer["finished"] = true;
      co_return mcp::ToolResult::ok_json(std::move(answer));
    }
    if (waited.error().kind != agents::PoolError::Kind::Timeout)
      co_return pool_error(waited.error());
    if (ctx.cancelled()) co_return mcp::ToolResult::error("wait_for_agent was cancelled");
    auto listing = services.pool->list_agents();
    auto runs = co_await std::move(listing);
    json::object answer{{"finished", false},
                        {"message", agent + " is still working on " + id + " after " +
                                        std::to_string(timeout.count()) +
                                        " s; call wait_for_agent again or stop_agent"}};
    for (const auto& run : runs_of(runs, id)) {
      if (run.agent_name == agent) answer["run"] = run_json(run);
    }
    co_return mcp::ToolResult::ok_json(std::move(answer));
  };
  return tool;
}

// The coder whose work the report is about: the one named, else the item's active coder, else
// the coder that ran on it last.
std::optional<std::string> reporting_coder(const std::vector<agents::AgentInfo>& runs,
                                           const ProjectConfig* config) {
  std::optional<std::string> latest;
  for (const auto& run : runs) {
    const auto* agent = config ? config->find_agent(run.agent_name) : nullptr;
    if (agent == nullptr || agent->stage != AgentStage::Coder) continue;
    if (agents::is_active(run.status)) return run.agent_name;
    latest = run.agent_name;
  }
  return latest;
}

std::string rejection_text(const engine::CompletionOutcome& outcome) {
  std::string text = "The work was not accepted: " + outcome.summary;
  if (outcome.blocked) {
    text += "\nThe item is now blocked after " + std::to_string(outcome.retry_count) +
            " retries; a person must unblock it.";
  }
  if (!outcome.gate_output_tail.empty())
    text += "\nThe gate's output (the end of it):\n```\n" + outcome.gate_output_tail + "\n```";
  if (!outcome.blocked)
    text += "\nFix the problem, commit everything, and call report_completion again.";
  return text;
}

mcp::Tool report_completion(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "report_completion";
  tool.title = "Report that the work is finished";
  tool.description =
      "A coder calls this when its work is committed. The server checks it as when the coder "
      "exits: no uncommitted changes, at least one commit ahead of the base, then the gate "
      "(script/test). Passed: the item moves on (merge or QA). Not passed: the error says why "
      "and shows the gate's output to fix.";
  tool.input_schema =
      input_schema({story_id_param(),
                    agent_name_param(false, "The coder reporting (default: the item's coder)"),
                    {"summary", text_schema("What was done, for the log", 4000)}});
  tool.handler = [services](const json::object& args, mcp::ToolContext& ctx) -> Handler {
    auto entry = locate_story(services.project_root, text_arg(args, "story_id"));
    if (!entry.ok()) co_return mcp::ToolResult::error(entry.error());
    const auto id = entry.value().id.str();
    auto agent = optional_text(args, "agent_name");
    if (!agent) {
      auto listing = services.pool->list_agents();
      auto runs = co_await std::move(listing);
      auto config = services.config ? services.config() : nullptr;
      agent = reporting_coder(runs_of(runs, id), config.get());
      if (!agent)
        co_return mcp::ToolResult::error("No coder has run on " + id + ": give agent_name");
    }
    if (auto summary = optional_text(args, "summary"))
      ctx.log("info", *agent + " reports " + id + " complete: " + *summary);
    auto reporting = services.pipeline->report_completion(id, *agent);
    auto reported = co_await std::move(reporting);
    if (!reported.ok()) co_return pipeline_error(reported.error());
    const auto& outcome = reported.value();
    if (!outcome.passed) co_return mcp::ToolResult::error(rejection_text(outcome));
    co_return mcp::ToolResult::ok_json(json::object{{"story_id", id},
                                                    {"agent_name", *agent},
                                                    {"passed", true},
                                                    {"summary", outcome.summary},
                                                    {"stage", stage_name(outcome.stage)}});
  };
  return tool;
}

}  // namespace

void register_agent_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  registry.add(start_agent(services));
  registry.add(stop_agent(services));
  registry.add(list_agents(services));
  registry.add(get_agent_output(services));
  registry.add(wait_for_agent(services));
  registry.add(report_completion(services));
}

}  // namespace stork::tools
