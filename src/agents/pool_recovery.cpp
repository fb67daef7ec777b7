// Start-up and shutdown: runs a crash left Pending or Running become Interrupted and the newest
// of each (item, agent) is started again with its session resumed, if its item is still in
// progress and the rules allow it; rate-limit blocked runs get their resume timers back.
// Shutdown kills every process and marks the runs Interrupted, for the next start-up.
#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>

#include "agents/pool_impl.hpp"
#include "pipeline/start_checks.hpp"

namespace stork::agents {
namespace {

// Items here have work going on, so an interrupted run on them is worth resuming.
bool is_active_stage(Stage stage) {
  return stage == Stage::Current || stage == Stage::Qa || stage == Stage::Merge;
}

}  // namespace

std::vector<AgentInfo> AgentPool::Impl::recover() {
  std::vector<AgentInfo> resumed;
  if (auto marked = state_->mark_unfinished_interrupted(now_ms()); !marked.ok()) {
    spdlog::error("recovery: {}", marked.error().message);
    return resumed;
  }
  auto interrupted = state_->resumable_runs();
  if (!interrupted.ok()) {
    spdlog::error("recovery: {}", interrupted.error().message);
    return resumed;
  }
  std::set<Key> seen;
  // Newest first: an agent's latest run on an item is the one to continue.
  auto runs = interrupted.value();
  std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
  for (const auto& run : runs) {
    if (seen.insert({run.story, run.agent}).second) resume_interrupted(run, resumed);
  }
  auto blocked = state_->blocked_runs();
  if (blocked.ok()) {
    for (const auto& run : blocked.value())
      restore_blocked(run);
  }
  return resumed;
}

void AgentPool::Impl::resume_interrupted(const state::RunRecord& run,
                                         std::vector<AgentInfo>& resumed) {
  auto located = store_.locate(run.story);
  if (!located.ok() || !is_active_stage(located.value().stage)) {
    spdlog::info("recovery: run {} of {} on {} not resumed: the item is no longer in progress",
                 run.id, run.agent, run.story);
    return;
  }
  auto conflicts =
      pipeline::check_start_conflicts(located.value().id, run.agent, *config_, snapshot());
  if (!conflicts.ok()) {
    spdlog::warn("recovery: run {} not resumed: {}", run.id, pipeline::message(conflicts.error()));
    return;
  }
  RunRequest request{
      config_,
      std::string("stork was restarted while you were working on this item. Continue where "
                  "you left off; check `git status` and `git log` in the worktree first."),
      true, run.id};
  auto registered = register_run(located.value().id, run.agent, std::move(request));
  if (registered.ok()) {
    resumed.push_back(registered.value());
  } else {
    spdlog::warn("recovery: run {} not resumed: {}", run.id, registered.error().message);
  }
}

void AgentPool::Impl::restore_blocked(const state::RunRecord& run) {
  if (entries_.contains({run.story, run.agent})) return;
  auto entry = std::make_shared<RunEntry>();
  entry->config = config_;
  entry->info.story_id = run.story;
  entry->info.agent_name = run.agent;
  entry->info.run_id = run.id;
  entry->info.runtime = run.runtime;
  entry->info.model = run.model;
  entry->info.session_id = run.session_id;
  entry->info.status = AgentStatus::Blocked;
  entry->info.started_at_ms = run.started_at_ms;
  entry->info.blocked_until_ms = run.blocked_until_ms;
  entry->next_seq = run.last_seq + 1;
  entries_[{run.story, run.agent}] = entry;
  ++runs_version;
  schedule_resume(entry, run.blocked_until_ms.value_or(0) - now_ms());
}

std::vector<std::shared_ptr<RunEntry>> AgentPool::Impl::kill_all_for_shutdown() {
  shutting_down_ = true;
  for (const auto& one_shot : one_shots_)
    one_shot->kill();
  std::vector<std::shared_ptr<RunEntry>> live;
  for (const auto& [key, entry] : entries_) {
    if (entry->resume_timer) entry->resume_timer->cancel();
    if (entry->run) {
      entry->interrupt_requested = true;
      entry->run->kill();
      live.push_back(entry);
    } else if (entry->info.status == AgentStatus::Pending) {
      finish(entry, AgentStatus::Interrupted, "stork shut down before the agent started");
    }
  }
  return live;
}

}  // namespace stork::agents
