// Completion: what happens when a coder's work is declared finished (its process ended, or it
// called report_completion). The server, not the agent, decides: the worktree must be clean and
// the branch must have a commit ahead of the base (zero-commit work never passes), then the
// gate runs; a pass goes where the QA mode says, a failure restarts the coder with the gate's
// output until max_retries, then blocks the item.
#include <algorithm>

#include <boost/asio/detached.hpp>
#include <boost/json/array.hpp>
#include <spdlog/spdlog.h>

#include "engine/pipeline_impl.hpp"
#include "git/branch_status.hpp"
#include "pipeline/completion.hpp"
#include "pipeline/retries.hpp"
#include "pipeline/stage_rules.hpp"

namespace stork::engine {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

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

// A scope guard: the item leaves `completing_` however the flow ends.
struct CompletingMark {
  std::set<std::string>& set;
  std::string story;
  ~CompletingMark() { set.erase(story); }
};

}  // namespace

void Pipeline::Impl::on_run_finished(const agents::AgentInfo& info) {
  if (stopping_) return;
  const bool ended =
      info.status == agents::AgentStatus::Completed || info.status == agents::AgentStatus::Failed;
  const auto stage = pipeline::agent_stage_of(*config, info.agent_name);
  if (ended && stage == AgentStage::Coder) {
    processed_runs_.insert(info.run_id);
    asio::co_spawn(
        strand,
        [self = shared_from_this(), story = info.story_id,
         agent = info.agent_name]() -> asio::awaitable<void> {
          (void)co_await self->complete(story, agent, Trigger::ProcessExit);
        },
        asio::detached);
    return;
  }
  if (ended && stage == AgentStage::Qa) {
    // A QA agent decides with approve_qa or reject_qa. One that ended without deciding hands
    // the item to a person rather than being started again and again.
    auto item = store_.load(info.story_id);
    if (item.ok() && item.value().stage == Stage::Qa && !item.value().review_hold()) {
      item.value().set_review_hold(true);
      if (save(item.value()).ok()) {
        emit(info.story_id, "review_hold",
             {{"agent", info.agent_name},
              {"reason", "the QA agent ended without approving or rejecting"}});
      }
    }
  }
  request_reconcile();
}

asio::awaitable<PipelineResult<CompletionOutcome>> Pipeline::Impl::complete(
    const std::string& story_arg, const std::string& agent, Trigger trigger) {
  auto loaded = load(story_arg);
  if (!loaded.ok()) co_return fail(loaded.error());
  const auto story = loaded.value().id.str();  // a bare number becomes the full id
  if (loaded.value().stage != Stage::Current) {
    co_return fail(PipelineError{PipelineError::Kind::WrongStage,
                                 "'" + story + "' is in " +
                                     std::string(stage_dir_name(loaded.value().stage)) +
                                     ", not 2_current: there is no coder's work to complete"});
  }
  if (loaded.value().blocked()) {
    co_return fail(PipelineError{PipelineError::Kind::WrongStage,
                                 "'" + story + "' is blocked (" +
                                     loaded.value().blocked_reason().value_or("no reason given") +
                                     "): unblock it first"});
  }
  if (completing_.contains(story)) {
    co_return fail(PipelineError{
        PipelineError::Kind::Busy,
        "a completion check of '" + story + "' is already running; its outcome will be reported"});
  }
  completing_.insert(story);
  CompletingMark mark{completing_, story};
  auto task = tasks_.add();

  auto job = journal_->begin_job(state::JobKind::Completion, story, agent, "checking", now_ms());
  if (!job.ok()) {
    co_return fail(
        PipelineError{PipelineError::Kind::Failed,
                      "cannot record the completion in the journal: " + job.error().message});
  }
  const auto job_id = job.value();
  const char* trigger_name = trigger == Trigger::ProcessExit ? "process_exit"
                             : trigger == Trigger::Reported  ? "report_completion"
                                                             : "recovery";
  emit(story, "completion_started", {{"agent", agent}, {"trigger", trigger_name}});

  auto worktree = worktrees_.worktree_path(loaded.value().id);
  auto inspect = [worktree, base = base_branch_] { return branch_status(worktree, base); };
  auto status = co_await blocking(inspect);
  std::optional<std::string> rejection;
  if (!std::filesystem::exists(worktree)) {
    rejection = "the item has no worktree (" + worktree.string() + "): nothing was done in it";
  } else if (!status.ok()) {
    rejection = "the worktree cannot be inspected: " + status.error().message();
  } else if (!status.value().uncommitted.empty()) {
    rejection = "the worktree has uncommitted changes (" + list_paths(status.value().uncommitted) +
                "): commit or discard them";
  } else if (status.value().commits_ahead == 0) {
    rejection =
        "the branch has no commit ahead of " + base_branch_ + ": zero-commit work never passes";
  }

  CompletionOutcome outcome;
  if (rejection) {
    emit(story, "completion_rejected", {{"agent", agent}, {"reason", *rejection}});
    record_job_step(job_id, "deciding", *rejection);
    const std::string no_gate_output;
    outcome = co_await handle_failure(story, agent, trigger, *rejection, no_gate_output);
  } else {
    record_job_step(job_id, "gating");
    emit(story, "gate_started", {{"where", "worktree"}, {"command", config->gate_command}});
    const auto spec = gate_spec(worktree, story, "completion");
    auto gate = co_await this->gate(spec);
    if (gate.passed) {
      emit(story, "gate_passed", {{"where", "worktree"}, {"duration_ms", gate.duration.count()}});
      record_job_step(job_id, "advancing");
      outcome = co_await advance_passed(story, gate.output_tail);
    } else {
      emit(story, "gate_failed",
           {{"where", "worktree"},
            {"outcome", gate.outcome},
            {"duration_ms", gate.duration.count()},
            {"output_tail", gate.output_tail}});
      record_job_step(job_id, "deciding", gate.outcome);
      const auto reason = "the gate failed (" + gate.outcome + ")";
      outcome = co_await handle_failure(story, agent, trigger, reason, gate.output_tail);
    }
  }
  record_job_step(job_id, outcome.passed ? state::kJobDone : state::kJobFailed, outcome.summary);
  request_reconcile();
  co_return outcome;
}

asio::awaitable<CompletionOutcome> Pipeline::Impl::advance_passed(const std::string& story,
                                                                  const std::string& gate_tail) {
  CompletionOutcome outcome;
  outcome.gate_output_tail = gate_tail;
  auto item = load(story);
  if (!item.ok()) {
    outcome.summary = "the gate passed, but the item is gone: " + item.error().message;
    co_return outcome;
  }
  const auto decision = pipeline::decide_completion(
      item.value().id.type, {item.value().qa(), item.value().manual_qa()}, config->default_qa);
  outcome.retry_count = item.value().retry_count();
  if (decision.set_review_hold) {
    item.value().set_review_hold(true);
    if (auto saved = save(item.value()); !saved.ok()) {
      outcome.summary =
          "the gate passed, but the review hold cannot be written: " + saved.error().message;
      co_return outcome;
    }
  }
  const auto reason = "gate passed; " + decision.describe();
  auto moved = co_await move_item(story, decision.target, reason);
  if (!moved.ok()) {
    outcome.summary = "the gate passed, but the item cannot be moved: " + moved.error().message;
    co_return outcome;
  }
  outcome.passed = true;
  outcome.stage = decision.target;
  outcome.summary = "gate passed; moved to " + std::string(stage_name(decision.target)) + " (" +
                    decision.describe() + ")";
  if (decision.set_review_hold) emit(story, "review_hold", {{"reason", decision.describe()}});
  if (decision.target == Stage::Merge) enqueue_merge(story);
  co_return outcome;
}

asio::awaitable<CompletionOutcome> Pipeline::Impl::handle_failure(const std::string& story,
                                                                  const std::string& agent,
                                                                  Trigger trigger,
                                                                  const std::string& reason,
                                                                  const std::string& gate_tail) {
  CompletionOutcome outcome;
  outcome.gate_output_tail = gate_tail;
  auto item = load(story);
  if (!item.ok()) {
    outcome.summary = reason + "; and the item cannot be read: " + item.error().message;
    co_return outcome;
  }
  const auto decision =
      pipeline::decide_gate_failure(item.value().retry_count(), config->max_retries);
  outcome.retry_count = decision.retry_count;
  if (decision.action == pipeline::GateFailureAction::Block) {
    const auto block_reason = reason + "; " + decision.block_reason();
    item.value().set_blocked(true, block_reason);
    if (auto saved = save(item.value()); !saved.ok()) spdlog::error("{}", saved.error().message);
    emit(story, "blocked", {{"reason", block_reason}, {"retry_count", decision.retry_count}});
    outcome.blocked = true;
    outcome.summary = "not accepted: " + block_reason + "; the item is blocked until unblocked";
    co_return outcome;
  }
  item.value().set_retry_count(decision.retry_count);
  if (auto saved = save(item.value()); !saved.ok()) spdlog::error("{}", saved.error().message);
  emit(story, "retry",
       {{"agent", agent},
        {"reason", reason},
        {"retry_count", decision.retry_count},
        {"max_retries", decision.max_retries}});
  outcome.summary = "not accepted: " + reason + " (retry " + std::to_string(decision.retry_count) +
                    " of " + std::to_string(decision.max_retries) + ")";
  // A coder that reported completion is still running: the answer goes back to it instead.
  if (trigger != Trigger::Reported && !stopping_) {
    agents::StartRequest restart;
    restart.story = story;
    if (!agent.empty()) restart.agent = agent;
    restart.resume_context = retry_context(reason, gate_tail);
    restart.resume_session = true;
    auto started = co_await pool_.start_agent(restart);
    if (!started.ok()) {
      emit(story, "assign_failed", {{"agent", agent}, {"message", started.error().message}});
    } else {
      emit(story, "assigned",
           {{"agent", started.value().agent_name}, {"stage", "current"}, {"retry", true}});
    }
  }
  co_return outcome;
}

}  // namespace stork::engine
