// The merge queue: one merge at a time, in the separate merge workspace. Each job is journaled
// before every step, so a crash anywhere ends, after a restart, with the squash commit on the
// base exactly once or not at all:
//   squashing → (squashed) → gating → advancing → advanced → finishing → done
// A job found open at start-up is finished if its commit already landed (the base moved by
// compare-and-swap, so it landed at most once), else the workspace is reset and it runs again.
#include <algorithm>

#include <boost/asio/detached.hpp>
#include <boost/json/array.hpp>
#include <spdlog/spdlog.h>

#include "engine/kill_point.hpp"
#include "engine/pipeline_impl.hpp"
#include "git/branch_ops.hpp"
#include "pipeline/agent_selection.hpp"
#include "pipeline/snapshot.hpp"

namespace stork::engine {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr int kMaxBaseRaces = 3;  // the base moved under us this often: give up for now

json::array to_json(const std::vector<std::string>& values) {
  json::array array;
  for (const auto& value : values)
    array.emplace_back(value);
  return array;
}

std::string_view checkout_name(AdvanceResult::Checkout checkout) {
  switch (checkout) {
    case AdvanceResult::Checkout::NotCheckedOut:
      return "not_checked_out";
    case AdvanceResult::Checkout::Updated:
      return "updated";
    case AdvanceResult::Checkout::LeftAlone:
      return "left_alone";
  }
  return "unknown";
}

}  // namespace

std::size_t Pipeline::Impl::enqueue_merge(const std::string& story) {
  if (merging_ && merging_->story == story) return 0;
  auto queued = std::find(merge_queue_.begin(), merge_queue_.end(), story);
  if (queued != merge_queue_.end())
    return static_cast<std::size_t>(queued - merge_queue_.begin()) + (merging_ ? 1 : 0);
  merge_queue_.push_back(story);
  emit(story, "merge_queued", {{"position", merge_queue_.size() - 1 + (merging_ ? 1 : 0)}});
  kick_merges();
  return merge_queue_.size() - 1 + (merging_ ? 1 : 0);
}

void Pipeline::Impl::kick_merges() {
  if (merge_worker_ || stopping_ || !started_) return;
  merge_worker_ = true;
  asio::co_spawn(
      strand, [self = shared_from_this()] { return self->run_merges(); }, asio::detached);
}

asio::awaitable<void> Pipeline::Impl::run_merges() {
  while (!merge_queue_.empty() && !stopping_) {
    auto story = merge_queue_.front();
    merge_queue_.pop_front();
    auto task = tasks_.add();
    co_await merge_one(story);
    merging_.reset();
  }
  merge_worker_ = false;
  request_reconcile();
}

MergeStatus Pipeline::Impl::merge_status() {
  MergeStatus status;
  status.running = merging_;
  status.queued.assign(merge_queue_.begin(), merge_queue_.end());
  auto jobs = journal_->jobs(std::nullopt, 50);
  if (jobs.ok()) {
    for (const auto& job : jobs.value()) {
      if (job.kind != state::JobKind::Merge || !job.finished()) continue;
      status.recent.push_back(
          MergeJobView{job.id, job.story, job.step, job.detail, job.commit, job.updated_at_ms});
      if (status.recent.size() == 10) break;
    }
  }
  return status;
}

asio::awaitable<void> Pipeline::Impl::merge_one(const std::string& story) {
  auto item = load(story);
  if (!item.ok() || item.value().stage != Stage::Merge || item.value().blocked() ||
      item.value().merge_failure()) {
    co_return;  // moved, held or gone since it was queued
  }
  const auto id = item.value().id;
  auto job = journal_->begin_job(state::JobKind::Merge, story, "", "squashing", now_ms());
  if (!job.ok()) {
    spdlog::error("pipeline journal: cannot record the merge of {}: {}", story,
                  job.error().message);
    co_return;
  }
  const auto job_id = job.value();
  merging_ = MergeJobView{job_id, story, "squashing", "", std::nullopt, now_ms()};
  auto step = [&](std::string_view name, std::string detail = {}) {
    record_job_step(job_id, name, detail);
    merging_->step = std::string(name);
    merging_->detail = detail;
    merging_->updated_at_ms = now_ms();
    emit(story, "merge_step", {{"job", job_id}, {"step", name}, {"detail", detail}});
  };
  emit(story, "merge_started", {{"job", job_id}});

  const std::vector<std::string> no_paths;
  const auto feature_branch = WorktreeManager::branch_name(id);
  const auto message = "storkit: merge " + story + "\n\n" + item.value().name();
  for (int race = 0; race < kMaxBaseRaces; ++race) {
    kill_point("merge:before_squash");
    auto squash_work = [this, id, feature_branch, message] {
      return workspace_.squash(id, feature_branch, message);
    };
    auto squashed = co_await blocking(squash_work);
    if (!squashed.ok()) {
      const auto reason = "the squash merge failed: " + squashed.error().message();
      co_await fail_merge(job_id, story, reason, no_paths);
      co_return;
    }
    const auto squash = squashed.value();
    if (squash.kind == SquashResult::Kind::Conflict) {
      const auto reason = "merge conflict with " + base_branch_ + " in " +
                          std::to_string(squash.conflicted.size()) + " file(s)";
      co_await fail_merge(job_id, story, reason, squash.conflicted);
      co_return;
    }
    if (squash.kind == SquashResult::Kind::NothingToMerge) {
      const auto reason =
          "nothing to merge: " + feature_branch + " has no changes against " + base_branch_;
      co_await fail_merge(job_id, story, reason, no_paths);
      co_return;
    }
    if (auto recorded = journal_->set_commits(job_id, squash.base_commit, squash.commit, now_ms());
        !recorded.ok()) {
      const auto reason = "cannot journal the squash commit: " + recorded.error().message;
      co_await fail_merge(job_id, story, reason, no_paths);
      co_return;
    }
    merging_->commit = squash.commit;
    step("squashed", squash.commit);
    kill_point("merge:after_squash");

    step("gating", config->gate_command);
    emit(story, "gate_started", {{"where", "merge"}, {"command", config->gate_command}});
    const auto spec = gate_spec(workspace_.path(), story, "merge");
    auto gate = co_await this->gate(spec);
    if (!gate.passed) {
      emit(story, "gate_failed",
           {{"where", "merge"},
            {"outcome", gate.outcome},
            {"duration_ms", gate.duration.count()},
            {"output_tail", gate.output_tail}});
      const auto reason =
          "the gate failed on the merged tree (" + gate.outcome + "):\n" + gate.output_tail;
      co_await fail_merge(job_id, story, reason, no_paths);
      co_return;
    }
    emit(story, "gate_passed", {{"where", "merge"}, {"duration_ms", gate.duration.count()}});
    if (stopping_) co_return;  // the journal says "gating": the next start merges again

    step("advancing");
    kill_point("merge:before_advance");
    auto advance_work = [this, base = squash.base_commit, commit = squash.commit] {
      return workspace_.advance_base(base, commit);
    };
    auto advanced = co_await blocking(advance_work);
    if (!advanced.ok()) {
      const auto reason = "cannot advance " + base_branch_ + ": " + advanced.error().message();
      co_await fail_merge(job_id, story, reason, no_paths);
      co_return;
    }
    if (advanced.value().kind == AdvanceResult::Kind::BaseMoved) {
      // Someone committed to the base meanwhile: squash again onto the new base.
      emit(story, "merge_step",
           {{"job", job_id}, {"step", "base_moved"}, {"detail", advanced.value().base_after}});
      continue;
    }
    kill_point("merge:after_advance");
    const auto& note = advanced.value().checkout_note;
    if (advanced.value().checkout == AdvanceResult::Checkout::LeftAlone) {
      emit(story, "checkout_left_alone", {{"note", note}});
    }
    const auto checkout =
        std::string(checkout_name(advanced.value().checkout)) + (note.empty() ? "" : ": " + note);
    co_await finish_landed(job_id, story, squash.commit, checkout);
    co_return;
  }
  const auto reason = base_branch_ + " kept moving while the merge was prepared (" +
                      std::to_string(kMaxBaseRaces) + " attempts); unblock to try again";
  co_await fail_merge(job_id, story, reason, no_paths);
}

asio::awaitable<void> Pipeline::Impl::finish_landed(std::int64_t job, const std::string& story,
                                                    const std::string& commit,
                                                    const std::string& checkout_note) {
  record_job_step(job, "advanced", commit);
  auto verify = [root = options_.project_root, base = base_branch_, commit] {
    return check_landed(root, base, commit);
  };
  auto landed = co_await blocking(verify);
  if (!landed.ok() || !landed.value().on_base || landed.value().changed_files.empty()) {
    const auto why = !landed.ok()              ? landed.error().message()
                     : !landed.value().on_base ? base_branch_ + " does not contain " + commit
                                               : "commit " + commit + " changes no file";
    const auto reason = "the merge did not verify: " + why;
    const std::vector<std::string> no_paths;
    co_await fail_merge(job, story, reason, no_paths);
    co_return;
  }
  record_job_step(job, "finishing", commit);
  auto id = parse_story_id(story);
  const auto reason = "merged as " + commit.substr(0, 12);
  auto moved = co_await move_item(story, Stage::Done, reason);
  if (!moved.ok()) {
    // The code has landed: say so loudly; unblock or the next start retries the move.
    record_job_step(job, state::kJobFailed,
                    "landed as " + commit + ", but " + moved.error().message);
    emit(story, "merge_failed",
         {{"job", job},
          {"reason", "landed, but the item could not be moved: " + moved.error().message}});
    co_return;
  }
  kill_point("merge:after_move");
  auto item = store_.load(story);
  if (item.ok() && item.value().merge_failure()) {
    item.value().set_merge_failure(std::nullopt);
    (void)save(item.value());
  }
  if (id.ok()) {
    auto cleanup_work = [this, story_id = id.value()] {
      std::vector<std::string> problems;
      if (auto removed = worktrees_.remove(story_id); !removed.ok())
        problems.push_back(removed.error().message);
      if (auto dropped = workspace_.drop_queue_branch(story_id); !dropped.ok())
        problems.push_back(dropped.error().message());
      return problems;
    };
    auto cleanup = co_await blocking(cleanup_work);
    for (const auto& problem : cleanup)
      spdlog::warn("pipeline: cleanup after merging {}: {}", story, problem);
  }
  record_job_step(job, state::kJobDone, commit);
  emit(story, "merged",
       {{"job", job},
        {"commit", commit},
        {"files", to_json(landed.value().changed_files)},
        {"checkout", checkout_note}});
}

asio::awaitable<void> Pipeline::Impl::fail_merge(std::int64_t job, const std::string& story,
                                                 const std::string& reason,
                                                 const std::vector<std::string>& conflicted) {
  std::string text = reason;
  if (!conflicted.empty()) {
    text += ":";
    for (const auto& path : conflicted)
      text += "\n- " + path;
  }
  record_job_step(job, state::kJobFailed, text);
  auto item = store_.load(story);
  if (item.ok()) {
    item.value().set_merge_failure(text);
    if (auto saved = save(item.value()); !saved.ok()) spdlog::error("{}", saved.error().message);
  }
  emit(story, "merge_failed",
       {{"job", job}, {"reason", reason}, {"conflicted", to_json(conflicted)}});
  auto id = parse_story_id(story);
  auto reset_work = [this, id] {
    if (auto reset = workspace_.reset(); !reset.ok())
      spdlog::error("pipeline: merge workspace: {}", reset.error().message());
    if (id.ok()) (void)workspace_.drop_queue_branch(id.value());
    return 0;
  };
  co_await blocking(reset_work);
  co_await start_mergemaster(story, text);
}

asio::awaitable<void> Pipeline::Impl::start_mergemaster(const std::string& story,
                                                        const std::string& failure) {
  if (stopping_) co_return;
  auto task = tasks_.add();
  auto item = store_.load(story);
  if (!item.ok()) co_return;
  pipeline::Runs runs;
  const auto agents = co_await pool_.list_agents();
  for (const auto& info : agents) {
    auto id = parse_story_id(info.story_id);
    if (id.ok())
      runs.push_back(
          pipeline::RunSnapshot{id.value(), info.agent_name, agents::to_run_status(info.status)});
  }
  auto pick = pipeline::pick_agent(*config, AgentStage::Mergemaster, item.value().agent(),
                                   pipeline::busy_agents(runs));
  if (pick.kind != pipeline::AgentPick::Kind::Picked) {
    if (pick.kind != pipeline::AgentPick::Kind::NoneConfigured)
      emit(story, "assign_failed", {{"agent", pick.agent}, {"message", "no free mergemaster"}});
    co_return;
  }
  agents::StartRequest request;
  request.story = story;
  request.agent = pick.agent;
  if (stopping_) co_return;
  request.resume_context =
      "The merge of " + story + " into " + base_branch_ + " failed: " + failure +
      "\nResolve it in this worktree (its branch is " +
      WorktreeManager::branch_name(item.value().id) + "): merge " + base_branch_ +
      " into it, fix the conflicts or the failing tests, commit, then call merge_agent_work "
      "for " +
      story + ".";
  auto started = co_await pool_.start_agent(request);
  if (started.ok()) {
    emit(story, "assigned", {{"agent", pick.agent}, {"stage", "merge"}});
  } else {
    emit(story, "assign_failed", {{"agent", pick.agent}, {"message", started.error().message}});
  }
}

asio::awaitable<void> Pipeline::Impl::recover_merge_job(const state::JobRecord& job) {
  auto id = parse_story_id(job.story);
  if (!id.ok()) {
    record_job_step(job.id, state::kJobFailed, "unreadable story id");
    co_return;
  }
  // Has the squash commit landed? The commit id when it was journaled, else its trailer.
  auto find_landed = [this, job, story_id = id.value()]() -> std::optional<std::string> {
    if (job.commit) {
      auto check = check_landed(options_.project_root, base_branch_, *job.commit);
      if (check.ok() && check.value().on_base) return job.commit;
    }
    auto found = find_landed_merge(options_.project_root, base_branch_, story_id);
    if (found.ok() && found.value()) return found.value();
    return std::nullopt;
  };
  auto landed = co_await blocking(find_landed);
  emit(job.story, "merge_recovered",
       {{"job", job.id}, {"step", job.step}, {"landed", landed.has_value()}});
  if (landed) {
    merging_ = MergeJobView{job.id, job.story, "finishing", "", landed, now_ms()};
    auto task = tasks_.add();
    const std::string note = "recovered after a restart";
    co_await finish_landed(job.id, job.story, *landed, note);
    merging_.reset();
    co_return;
  }
  record_job_step(job.id, state::kJobFailed,
                  "interrupted at '" + job.step + "' by a restart; merged again");
  auto drop_branch = [this, story_id = id.value()] {
    return workspace_.drop_queue_branch(story_id).ok();
  };
  (void)co_await blocking(drop_branch);
  // The item is still in 4_merge (the move to done comes after the landing), so the first
  // reconcile queues it again.
}

}  // namespace stork::engine
