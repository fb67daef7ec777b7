#include "engine/completion_check.hpp"

#include <algorithm>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include "engine/merge_queue.hpp"
#include "engine/pipeline_context.hpp"
#include "engine/pipeline_errors.hpp"
#include "git/branch_status.hpp"
#include "pipeline/completion.hpp"
#include "pipeline/retries.hpp"
#include "pipeline/stage_rules.hpp"

namespace stork::engine {
namespace asio = boost::asio;

namespace {

// The line of a setup failure that says what is wrong: git's own `fatal:`/`error:` message when
// there is one (a worktree that cannot be made names the git command first), else the first
// line.
// The whole text stays in the run's exit reason (`stork agent logs`).
std::string first_useful_line(const std::string& cause) {
  std::string first;
  std::size_t start = 0;
  while (start <= cause.size()) {
    const std::size_t end = std::min(cause.find('\n', start), cause.size());
    std::string line = cause.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
      line.pop_back();
    const auto text = line.find_first_not_of(' ');
    if (text != std::string::npos) {
      line.erase(0, text);
      for (const char* marker : {"fatal: ", "error: "}) {
        if (const auto at = line.find(marker); at != std::string::npos) return line.substr(at);
      }
      if (first.empty()) first = line;
    }
    start = end + 1;
  }
  return first;
}

std::string list_paths(const std::vector<std::string>& paths, std::size_t shown = 5) {
  std::string text;
  for (std::size_t i = 0; i < paths.size() && i < shown; ++i) {
    if (i > 0) text += ", ";
    text += paths[i];
  }
  if (paths.size() > shown) text += " (and " + std::to_string(paths.size() - shown) + " more)";
  return text;
}

// What a restarted coder is told: why its work was not accepted, and the gate's output.
std::string retry_context(const std::string& reason, const std::string& gate_tail) {
  std::string text = "Your previous attempt was not accepted: " + reason + ".\n";
  if (!gate_tail.empty()) {
    text += "The last part of the gate's output:\n```\n" + gate_tail + "\n```\n";
  }
  text += "Fix the problem, commit your work, and finish again.";
  return text;
}

const char* trigger_name(CompletionCheck::Trigger trigger) {
  switch (trigger) {
    case CompletionCheck::Trigger::ProcessExit:
      return "process_exit";
    case CompletionCheck::Trigger::Reported:
      return "report_completion";
    case CompletionCheck::Trigger::Recovery:
      return "recovery";
  }
  return "recovery";
}

// A scope guard: the item leaves `completing` however the check ends.
struct CompletingMark {
  std::set<std::string>& set;
  std::string story;
  ~CompletingMark() { set.erase(story); }
};

}  // namespace

void CompletionCheck::start(const std::string& story, const std::string& agent, Trigger trigger) {
  auto anchor = context_.anchor();
  if (!anchor) return;
  asio::co_spawn(
      context_.strand,
      [anchor, this, story, agent, trigger]() -> asio::awaitable<void> {
        (void)co_await complete(story, agent, trigger);
      },
      asio::detached);
}

void CompletionCheck::on_run_finished(const agents::AgentInfo& info) {
  if (context_.stopping) return;
  const bool ended =
      info.status == agents::AgentStatus::Completed || info.status == agents::AgentStatus::Failed;
  const auto stage = pipeline::agent_stage_of(*context_.config, info.agent_name);
  if (info.status == agents::AgentStatus::Failed && info.setup_failure) {
    processed_runs_.insert(info.run_id);
    block_for_setup(info.story_id, "agent '" + info.agent_name + "' never started (" +
                                       first_useful_line(info.exit_reason) + ")");
    context_.request_reconcile();
    return;
  }
  if (ended && stage == AgentStage::Coder) {
    processed_runs_.insert(info.run_id);
    start(info.story_id, info.agent_name, Trigger::ProcessExit);
    return;
  }
  if (ended && stage == AgentStage::Qa) hold_for_review(info);
  context_.request_reconcile();
}

// A QA agent decides with approve_qa or reject_qa. One that ended without deciding hands the
// item to a person rather than being started again and again.
void CompletionCheck::hold_for_review(const agents::AgentInfo& info) {
  auto item = context_.store.load(info.story_id);
  if (!item.ok() || item.value().stage != Stage::Qa || item.value().review_hold()) return;
  if (context_.update(info.story_id, [](WorkItem& fresh) { fresh.set_review_hold(true); }).ok()) {
    context_.emit(info.story_id, "review_hold",
                  {{"agent", info.agent_name},
                   {"reason", "the QA agent ended without approving or rejecting"}});
  }
}

void CompletionCheck::block_for_setup(const std::string& story, const std::string& reason) {
  const auto block_reason =
      reason +
      "; no attempt was counted: fix the setup (`stork doctor` names the problems), "
      "then unblock";
  auto saved = context_.update(
      story, [&block_reason](WorkItem& fresh) { fresh.set_blocked(true, block_reason); });
  if (!saved.ok()) {
    spdlog::error("{}", saved.error().message);
    return;
  }
  context_.emit(
      story, "blocked",
      {{"reason", block_reason}, {"kind", "setup"}, {"retry_count", saved.value().retry_count()}});
}

PipelineResult<WorkItem> CompletionCheck::admit(const std::string& story_arg) {
  auto loaded = context_.load(story_arg);
  if (!loaded.ok()) return loaded;
  const auto story = loaded.value().id.str();  // a bare number becomes the full id
  const auto stage = loaded.value().stage;
  if (stage != Stage::Current) {
    return fail(wrong_stage(story, stage,
                            "'" + story + "' is in " + std::string(stage_dir_name(stage)) +
                                ", not 2_current: there is no coder's work to complete"));
  }
  if (loaded.value().blocked()) {
    return fail(wrong_stage(story, stage,
                            "'" + story + "' is blocked (" +
                                loaded.value().blocked_reason().value_or("no reason given") +
                                "): unblock it first"));
  }
  if (completing_.contains(story)) {
    return fail(busy(story, "a completion check of '" + story +
                                "' is already running; its outcome will be reported"));
  }
  return loaded;
}

asio::awaitable<PipelineResult<CompletionOutcome>> CompletionCheck::complete(
    const std::string& story_arg, const std::string& agent, Trigger trigger) {
  auto admitted = admit(story_arg);
  if (!admitted.ok()) co_return fail(admitted.error());
  const auto& item = admitted.value();
  const auto story = item.id.str();
  completing_.insert(story);
  CompletingMark mark{completing_, story};
  auto task = context_.tasks.add();

  auto job =
      context_.journal->begin_job(state::JobKind::Completion, story, agent, "checking", now_ms());
  if (!job.ok()) {
    co_return fail(
        failed(story, "cannot record the completion in the journal: " + job.error().message));
  }
  const Check check{job.value(), story, agent, trigger};
  context_.emit(story, "completion_started",
                {{"agent", agent}, {"trigger", trigger_name(trigger)}});
  CompletionOutcome outcome;
  if (auto rejected = co_await rejection(item)) {
    context_.emit(story, "completion_rejected", {{"agent", agent}, {"reason", *rejected}});
    context_.record_job_step(check.job, "deciding", *rejected);
    const std::string no_gate_output;
    outcome = co_await handle_failure(check, *rejected, no_gate_output);
  } else {
    outcome = co_await run_gate_and_decide(check, item);
  }
  context_.record_job_step(check.job, outcome.passed ? state::kJobDone : state::kJobFailed,
                           outcome.summary);
  context_.request_reconcile();
  co_return outcome;
}

asio::awaitable<std::optional<std::string>> CompletionCheck::rejection(const WorkItem& item) {
  auto worktree = context_.worktrees.worktree_path(item.id);
  const auto& base = context_.base_branch;
  auto inspect = [worktree, base] { return branch_status(worktree, base); };
  auto status = co_await context_.blocking(inspect);
  if (!std::filesystem::exists(worktree))
    co_return "the item has no worktree (" + worktree.string() + "): nothing was done in it";
  if (!status.ok()) co_return "the worktree cannot be inspected: " + status.error().message();
  if (!status.value().uncommitted.empty()) {
    co_return "the worktree has uncommitted changes (" + list_paths(status.value().uncommitted) +
        "): commit or discard them";
  }
  if (status.value().commits_ahead == 0)
    co_return "the branch has no commit ahead of " + base + ": zero-commit work never passes";
  co_return std::nullopt;
}

asio::awaitable<CompletionOutcome> CompletionCheck::run_gate_and_decide(const Check& check,
                                                                        const WorkItem& item) {
  const auto& story = check.story;
  context_.record_job_step(check.job, "gating");
  context_.emit(story, "gate_started",
                {{"where", "worktree"}, {"command", context_.config->gate_command}});
  const auto spec =
      context_.gate_spec(context_.worktrees.worktree_path(item.id), story, "completion");
  auto gate = co_await context_.gate(spec);
  if (gate.setup_problem) {
    context_.emit(story, "gate_failed",
                  {{"where", "worktree"},
                   {"outcome", gate.outcome},
                   {"kind", "setup"},
                   {"output_tail", gate.output_tail}});
    block_for_setup(story, "the gate never ran: " + *gate.setup_problem);
    CompletionOutcome outcome;
    outcome.blocked = true;
    outcome.gate_output_tail = gate.output_tail;
    outcome.summary = "not accepted: the gate never ran (" + *gate.setup_problem +
                      "); the item is blocked until unblocked";
    co_return outcome;
  }
  if (gate.passed) {
    context_.emit(story, "gate_passed",
                  {{"where", "worktree"}, {"duration_ms", gate.duration.count()}});
    context_.record_job_step(check.job, "advancing");
    auto outcome = co_await advance_passed(story, gate.output_tail);
    co_return outcome;
  }
  context_.emit(story, "gate_failed",
                {{"where", "worktree"},
                 {"outcome", gate.outcome},
                 {"duration_ms", gate.duration.count()},
                 {"output_tail", gate.output_tail}});
  context_.record_job_step(check.job, "deciding", gate.outcome);
  const auto reason = "the gate failed (" + gate.outcome + ")";
  auto outcome = co_await handle_failure(check, reason, gate.output_tail);
  co_return outcome;
}

asio::awaitable<CompletionOutcome> CompletionCheck::advance_passed(const std::string& story,
                                                                   const std::string& gate_tail) {
  CompletionOutcome outcome;
  outcome.gate_output_tail = gate_tail;
  auto item = context_.load(story);
  if (!item.ok()) {
    outcome.summary = "the gate passed, but the item is gone: " + item.error().message;
    co_return outcome;
  }
  const auto decision = pipeline::decide_completion(item.value().id.type,
                                                    {item.value().qa(), item.value().manual_qa()},
                                                    context_.config->default_qa);
  outcome.retry_count = item.value().retry_count();
  if (decision.set_review_hold) {
    auto saved = context_.update(story, [](WorkItem& fresh) { fresh.set_review_hold(true); });
    if (!saved.ok()) {
      outcome.summary =
          "the gate passed, but the review hold cannot be written: " + saved.error().message;
      co_return outcome;
    }
  }
  const auto reason = "gate passed; " + decision.describe();
  auto moved = co_await context_.move_item(story, decision.target, reason);
  if (!moved.ok()) {
    outcome.summary = "the gate passed, but the item cannot be moved: " + moved.error().message;
    co_return outcome;
  }
  outcome.passed = true;
  outcome.stage = decision.target;
  outcome.summary = "gate passed; moved to " + std::string(stage_name(decision.target)) + " (" +
                    decision.describe() + ")";
  if (decision.set_review_hold)
    context_.emit(story, "review_hold", {{"reason", decision.describe()}});
  if (decision.target == Stage::Merge) merges_.enqueue(story);
  co_return outcome;
}

asio::awaitable<CompletionOutcome> CompletionCheck::handle_failure(const Check& check,
                                                                   const std::string& reason,
                                                                   const std::string& gate_tail) {
  const auto& story = check.story;
  CompletionOutcome outcome;
  outcome.gate_output_tail = gate_tail;
  auto item = context_.load(story);
  if (!item.ok()) {
    outcome.summary = reason + "; and the item cannot be read: " + item.error().message;
    co_return outcome;
  }
  const auto decision =
      pipeline::decide_gate_failure(item.value().retry_count(), context_.config->max_retries);
  outcome.retry_count = decision.retry_count;
  if (decision.action == pipeline::GateFailureAction::Block) {
    const auto block_reason = reason + "; " + decision.block_reason();
    auto saved = context_.update(
        story, [&block_reason](WorkItem& fresh) { fresh.set_blocked(true, block_reason); });
    if (!saved.ok()) spdlog::error("{}", saved.error().message);
    context_.emit(story, "blocked",
                  {{"reason", block_reason}, {"retry_count", decision.retry_count}});
    outcome.blocked = true;
    outcome.summary = "not accepted: " + block_reason + "; the item is blocked until unblocked";
    co_return outcome;
  }
  auto saved = context_.update(
      story, [count = decision.retry_count](WorkItem& fresh) { fresh.set_retry_count(count); });
  if (!saved.ok()) spdlog::error("{}", saved.error().message);
  context_.emit(story, "retry",
                {{"agent", check.agent},
                 {"reason", reason},
                 {"retry_count", decision.retry_count},
                 {"max_retries", decision.max_retries}});
  outcome.summary = "not accepted: " + reason + " (retry " + std::to_string(decision.retry_count) +
                    " of " + std::to_string(decision.max_retries) + ")";
  // A coder that reported completion is still running: the answer goes back to it instead.
  if (check.trigger != Trigger::Reported && !context_.stopping) {
    co_await restart_coder(check, reason, gate_tail);
  }
  co_return outcome;
}

asio::awaitable<void> CompletionCheck::restart_coder(const Check& check, const std::string& reason,
                                                     const std::string& gate_tail) {
  agents::StartRequest restart;
  restart.story = check.story;
  if (!check.agent.empty()) restart.agent = check.agent;
  restart.resume_context = retry_context(reason, gate_tail);
  restart.resume_session = true;
  auto started = co_await context_.pool.start_agent(restart);
  if (!started.ok()) {
    context_.emit(check.story, "assign_failed",
                  {{"agent", check.agent}, {"message", started.error().message}});
  } else {
    context_.emit(check.story, "assigned",
                  {{"agent", started.value().agent_name}, {"stage", "current"}, {"retry", true}});
  }
}

}  // namespace stork::engine
