#include "engine/merge_job.hpp"

#include <boost/json/array.hpp>
#include <spdlog/spdlog.h>

#include "agents/agent_pool.hpp"
#include "agents/agent_status.hpp"
#include "engine/kill_point.hpp"
#include "engine/pipeline_context.hpp"
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

void MergeJob::step(const Merge& merge, std::string_view name, const std::string& detail) {
  context_.record_job_step(merge.job, name, detail);
  if (view_) {
    view_->step = std::string(name);
    view_->detail = detail;
    view_->updated_at_ms = now_ms();
  }
  context_.emit(merge.story, "merge_step",
                {{"job", merge.job}, {"step", name}, {"detail", detail}});
}

asio::awaitable<void> MergeJob::run(const std::string& story) {
  auto item = context_.load(story);
  if (!item.ok() || item.value().stage != Stage::Merge || item.value().blocked() ||
      item.value().merge_failure()) {
    co_return;  // moved, held or gone since it was queued
  }
  auto job = context_.journal->begin_job(state::JobKind::Merge, story, "", "squashing", now_ms());
  if (!job.ok()) {
    spdlog::error("pipeline journal: cannot record the merge of {}: {}", story,
                  job.error().message);
    co_return;
  }
  const auto& id = item.value().id;
  const Merge merge{job.value(), story, id, WorktreeManager::branch_name(id),
                    "storkit: merge " + story + "\n\n" + item.value().name()};
  view_ = MergeJobView{merge.job, story, "squashing", "", std::nullopt, now_ms()};
  context_.emit(story, "merge_started", {{"job", merge.job}});
  for (int race = 0; race < kMaxBaseRaces; ++race) {
    if (co_await attempt(merge) == Attempt::Finished) co_return;
  }
  const auto reason = context_.base_branch + " kept moving while the merge was prepared (" +
                      std::to_string(kMaxBaseRaces) + " attempts); unblock to try again";
  const std::vector<std::string> no_paths;
  co_await fail(merge.job, story, reason, no_paths);
}

// Squash, gate, advance: Finished when the job ended (landed, failed or cut short by stop).
asio::awaitable<MergeJob::Attempt> MergeJob::attempt(const Merge& merge) {
  kill_point("merge:before_squash");
  auto squashed = co_await squash(merge);
  if (!squashed) co_return Attempt::Finished;
  if (!co_await gate_merged_tree(merge)) co_return Attempt::Finished;
  if (context_.stopping) co_return Attempt::Finished;  // "gating": the next start merges again
  co_return co_await advance(merge, *squashed);
}

asio::awaitable<std::optional<SquashResult>> MergeJob::squash(const Merge& merge) {
  const std::vector<std::string> no_paths;
  auto squash_work = [this, id = merge.id, branch = merge.feature_branch, message = merge.message] {
    return context_.workspace.squash(id, branch, message);
  };
  auto squashed = co_await context_.blocking(squash_work);
  const auto& base = context_.base_branch;
  std::optional<std::string> reason;
  if (!squashed.ok()) {
    reason = "the squash merge failed: " + squashed.error().message();
  } else if (squashed.value().kind == SquashResult::Kind::Conflict) {
    reason = "merge conflict with " + base + " in " +
             std::to_string(squashed.value().conflicted.size()) + " file(s)";
    co_await fail(merge.job, merge.story, *reason, squashed.value().conflicted);
    co_return std::nullopt;
  } else if (squashed.value().kind == SquashResult::Kind::NothingToMerge) {
    reason = "nothing to merge: " + merge.feature_branch + " has no changes against " + base;
  } else if (auto recorded = context_.journal->set_commits(merge.job, squashed.value().base_commit,
                                                           squashed.value().commit, now_ms());
             !recorded.ok()) {
    reason = "cannot journal the squash commit: " + recorded.error().message;
  }
  if (reason) {
    co_await fail(merge.job, merge.story, *reason, no_paths);
    co_return std::nullopt;
  }
  if (view_) view_->commit = squashed.value().commit;
  step(merge, "squashed", squashed.value().commit);
  kill_point("merge:after_squash");
  co_return squashed.value();
}

asio::awaitable<bool> MergeJob::gate_merged_tree(const Merge& merge) {
  const auto& command = context_.config->gate_command;
  step(merge, "gating", command);
  context_.emit(merge.story, "gate_started", {{"where", "merge"}, {"command", command}});
  const auto spec = context_.gate_spec(context_.workspace.path(), merge.story, "merge");
  auto gate = co_await context_.gate(spec);
  if (gate.passed) {
    context_.emit(merge.story, "gate_passed",
                  {{"where", "merge"}, {"duration_ms", gate.duration.count()}});
    co_return true;
  }
  context_.emit(merge.story, "gate_failed",
                {{"where", "merge"},
                 {"outcome", gate.outcome},
                 {"duration_ms", gate.duration.count()},
                 {"output_tail", gate.output_tail}});
  const auto reason =
      "the gate failed on the merged tree (" + gate.outcome + "):\n" + gate.output_tail;
  const std::vector<std::string> no_paths;
  co_await fail(merge.job, merge.story, reason, no_paths);
  co_return false;
}

asio::awaitable<MergeJob::Attempt> MergeJob::advance(const Merge& merge,
                                                     const SquashResult& squash) {
  step(merge, "advancing");
  kill_point("merge:before_advance");
  auto advance_work = [this, base = squash.base_commit, commit = squash.commit] {
    return context_.workspace.advance_base(base, commit);
  };
  auto advanced = co_await context_.in_checkout(advance_work);
  if (!advanced.ok()) {
    const auto reason =
        "cannot advance " + context_.base_branch + ": " + advanced.error().message();
    const std::vector<std::string> no_paths;
    co_await fail(merge.job, merge.story, reason, no_paths);
    co_return Attempt::Finished;
  }
  if (advanced.value().kind == AdvanceResult::Kind::BaseMoved) {
    // Someone committed to the base meanwhile: squash again onto the new base.
    context_.emit(
        merge.story, "merge_step",
        {{"job", merge.job}, {"step", "base_moved"}, {"detail", advanced.value().base_after}});
    co_return Attempt::BaseMoved;
  }
  kill_point("merge:after_advance");
  const auto& note = advanced.value().checkout_note;
  if (advanced.value().checkout == AdvanceResult::Checkout::LeftAlone)
    context_.emit(merge.story, "checkout_left_alone", {{"note", note}});
  const auto checkout =
      std::string(checkout_name(advanced.value().checkout)) + (note.empty() ? "" : ": " + note);
  co_await finish_landed(merge.job, merge.story, squash.commit, checkout);
  co_return Attempt::Finished;
}

asio::awaitable<void> MergeJob::finish_landed(std::int64_t job, const std::string& story,
                                              const std::string& commit,
                                              const std::string& checkout_note) {
  context_.record_job_step(job, "advanced", commit);
  const auto& base = context_.base_branch;
  auto verify = [root = context_.options.project_root, base, commit] {
    return check_landed(root, base, commit);
  };
  auto landed = co_await context_.blocking(verify);
  if (!landed.ok() || !landed.value().on_base || landed.value().changed_files.empty()) {
    const auto why = !landed.ok()              ? landed.error().message()
                     : !landed.value().on_base ? base + " does not contain " + commit
                                               : "commit " + commit + " changes no file";
    const auto reason = "the merge did not verify: " + why;
    const std::vector<std::string> no_paths;
    co_await fail(job, story, reason, no_paths);
    co_return;
  }
  context_.record_job_step(job, "finishing", commit);
  const auto reason = "merged as " + commit.substr(0, 12);
  auto moved = co_await context_.move_item(story, Stage::Done, reason);
  if (!moved.ok()) {
    // The code has landed: say so loudly; unblock or the next start retries the move.
    context_.record_job_step(job, state::kJobFailed,
                             "landed as " + commit + ", but " + moved.error().message);
    context_.emit(
        story, "merge_failed",
        {{"job", job},
         {"reason", "landed, but the item could not be moved: " + moved.error().message}});
    co_return;
  }
  kill_point("merge:after_move");
  co_await clean_up_after(story);
  context_.record_job_step(job, state::kJobDone, commit);
  context_.emit(story, "merged",
                {{"job", job},
                 {"commit", commit},
                 {"files", to_json(landed.value().changed_files)},
                 {"checkout", checkout_note}});
}

// After the landing: the merge failure note, the worktree and the queue branch go.
asio::awaitable<void> MergeJob::clean_up_after(const std::string& story) {
  auto item = context_.store.load(story);
  if (item.ok() && item.value().merge_failure()) {
    (void)context_.update(story, [](WorkItem& fresh) { fresh.set_merge_failure(std::nullopt); });
  }
  auto id = parse_story_id(story);
  if (!id.ok()) co_return;
  auto cleanup_work = [this, story_id = id.value()] {
    std::vector<std::string> problems;
    if (auto removed = context_.worktrees.remove(story_id); !removed.ok())
      problems.push_back(removed.error().message);
    if (auto dropped = context_.workspace.drop_queue_branch(story_id); !dropped.ok())
      problems.push_back(dropped.error().message());
    return problems;
  };
  auto cleanup = co_await context_.blocking(cleanup_work);
  for (const auto& problem : cleanup)
    spdlog::warn("pipeline: cleanup after merging {}: {}", story, problem);
}

asio::awaitable<void> MergeJob::fail(std::int64_t job, const std::string& story,
                                     const std::string& reason,
                                     const std::vector<std::string>& conflicted) {
  std::string text = reason;
  if (!conflicted.empty()) {
    text += ":";
    for (const auto& path : conflicted)
      text += "\n- " + path;
  }
  context_.record_job_step(job, state::kJobFailed, text);
  auto saved = context_.update(story, [&text](WorkItem& fresh) { fresh.set_merge_failure(text); });
  if (!saved.ok()) spdlog::error("{}", saved.error().message);
  context_.emit(story, "merge_failed",
                {{"job", job}, {"reason", reason}, {"conflicted", to_json(conflicted)}});
  auto id = parse_story_id(story);
  auto reset_work = [this, id] {
    if (auto reset = context_.workspace.reset(); !reset.ok())
      spdlog::error("pipeline: merge workspace: {}", reset.error().message());
    if (id.ok()) (void)context_.workspace.drop_queue_branch(id.value());
    return 0;
  };
  co_await context_.blocking(reset_work);
  co_await start_mergemaster(story, text);
}

asio::awaitable<void> MergeJob::start_mergemaster(const std::string& story,
                                                  const std::string& failure) {
  if (context_.stopping) co_return;
  auto task = context_.tasks.add();
  auto item = context_.store.load(story);
  if (!item.ok()) co_return;
  pipeline::Runs runs;
  const auto agents = co_await context_.pool.list_agents();
  for (const auto& info : agents) {
    auto id = parse_story_id(info.story_id);
    if (id.ok()) {
      runs.push_back(
          pipeline::RunSnapshot{id.value(), info.agent_name, agents::to_run_status(info.status)});
    }
  }
  auto pick = pipeline::pick_agent(*context_.config, AgentStage::Mergemaster, item.value().agent(),
                                   pipeline::busy_agents(runs));
  if (pick.kind != pipeline::AgentPick::Kind::Picked) {
    if (pick.kind != pipeline::AgentPick::Kind::NoneConfigured) {
      context_.emit(story, "assign_failed",
                    {{"agent", pick.agent}, {"message", "no free mergemaster"}});
    }
    co_return;
  }
  if (context_.stopping) co_return;
  const auto& base = context_.base_branch;
  agents::StartRequest request;
  request.story = story;
  request.agent = pick.agent;
  request.resume_context =
      "The merge of " + story + " into " + base + " failed: " + failure +
      "\nResolve it in this worktree (its branch is " +
      WorktreeManager::branch_name(item.value().id) + "): merge " + base +
      " into it, fix the conflicts or the failing tests, commit, then call merge_agent_work "
      "for " +
      story + ".";
  auto started = co_await context_.pool.start_agent(request);
  if (started.ok()) {
    context_.emit(story, "assigned", {{"agent", pick.agent}, {"stage", "merge"}});
  } else {
    context_.emit(story, "assign_failed",
                  {{"agent", pick.agent}, {"message", started.error().message}});
  }
}

asio::awaitable<void> MergeJob::recover(const state::JobRecord& job) {
  auto id = parse_story_id(job.story);
  if (!id.ok()) {
    context_.record_job_step(job.id, state::kJobFailed, "unreadable story id");
    co_return;
  }
  // Has the squash commit landed? The commit id when it was journaled, else its trailer.
  auto find_landed = [this, job, story_id = id.value()]() -> std::optional<std::string> {
    const auto& root = context_.options.project_root;
    if (job.commit) {
      auto check = check_landed(root, context_.base_branch, *job.commit);
      if (check.ok() && check.value().on_base) return job.commit;
    }
    auto found = find_landed_merge(root, context_.base_branch, story_id);
    if (found.ok() && found.value()) return found.value();
    return std::nullopt;
  };
  auto landed = co_await context_.blocking(find_landed);
  context_.emit(job.story, "merge_recovered",
                {{"job", job.id}, {"step", job.step}, {"landed", landed.has_value()}});
  if (landed) {
    view_ = MergeJobView{job.id, job.story, "finishing", "", landed, now_ms()};
    auto task = context_.tasks.add();
    const std::string note = "recovered after a restart";
    co_await finish_landed(job.id, job.story, *landed, note);
    view_.reset();
    co_return;
  }
  context_.record_job_step(job.id, state::kJobFailed,
                           "interrupted at '" + job.step + "' by a restart; merged again");
  auto drop_branch = [this, story_id = id.value()] {
    return context_.workspace.drop_queue_branch(story_id).ok();
  };
  (void)co_await context_.blocking(drop_branch);
  // The item is still in 4_merge (the move to done comes after the landing), so the first
  // reconcile queues it again.
}

}  // namespace stork::engine
