#include "engine/reconciler.hpp"

#include <map>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include "agents/agent_pool.hpp"
#include "agents/agent_status.hpp"
#include "engine/completion_check.hpp"
#include "engine/item_operations.hpp"
#include "engine/merge_queue.hpp"
#include "engine/pipeline_context.hpp"
#include "engine/snapshot_cache.hpp"
#include "pipeline/auto_assign.hpp"
#include "pipeline/dependencies.hpp"
#include "pipeline/stage_rules.hpp"

namespace stork::engine {
namespace asio = boost::asio;

void Reconciler::request() {
  if (context_.stopping || !context_.started) return;
  auto anchor = context_.anchor();
  if (!anchor) return;
  asio::co_spawn(
      context_.strand, [anchor, this] { return reconcile(); }, asio::detached);
}

void Reconciler::note(const WorkWatcher::Burst& burst) {
  changed_.everything = changed_.everything || burst.everything;
  if (!changed_.everything) changed_.files.insert(burst.files.begin(), burst.files.end());
}

asio::awaitable<void> Reconciler::reconcile() {
  if (context_.stopping) co_return;
  if (running_) {
    again_ = true;
    co_return;
  }
  running_ = true;
  auto task = context_.tasks.add();
  do {
    again_ = false;
    co_await reconcile_once();
  } while (again_ && !context_.stopping);
  running_ = false;
}

asio::awaitable<void> Reconciler::reconcile_once() {
  // Parsing every item file takes a while in a large project: never on the strand.
  const auto listed_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  // What changed since the last pass. Taken before the read: a write noted during it is read
  // by the next pass, which its operation's request_reconcile() makes happen.
  auto changed = std::exchange(changed_, {});
  changed.files.merge(context_.item_index->take_written());
  const bool full = !watching_ || changed.everything;
  // One reconcile at a time (running_), so the cache is the job's alone while it runs.
  auto read = [this, full, files = std::move(changed.files)] {
    return full ? snapshots_.read(context_.store) : snapshots_.read_changed(context_.store, files);
  };
  auto listing = co_await context_.blocking(read);
  auto& items = listing.items;
  co_await stop_leavers(items, listing.unreadable, listed_at_ms);
  if (context_.stopping) co_return;
  co_await promote(items);
  if (context_.stopping) co_return;
  co_await assign(items);
  if (context_.stopping) co_return;
  queue_merges(items);
}

// Backlog items whose dependencies are all done or archived start by themselves.
asio::awaitable<void> Reconciler::promote(std::vector<pipeline::ItemSnapshot>& items) {
  auto promotions = pipeline::plan_backlog_promotions(items);
  for (const auto& unknown : promotions.unknown)
    spdlog::warn("pipeline: {}", unknown.message());
  for (const auto& id : promotions.promote) {
    const auto story = id.str();
    // An item being created is promoted once its creation is committed (a move before the
    // commit would leave it out of git: 2_current is not tracked).
    if (items_.creating(story)) continue;
    const std::string reason = "its dependencies are done";
    auto moved = co_await context_.move_item(story, Stage::Current, reason);
    if (!moved.ok()) {
      spdlog::error("pipeline: cannot promote {}: {}", story, moved.error().message);
      continue;
    }
    for (auto& item : items) {
      if (item.id == id) item.stage = Stage::Current;
    }
  }
}

asio::awaitable<void> Reconciler::assign(const std::vector<pipeline::ItemSnapshot>& items) {
  const auto agents = co_await context_.pool.list_agents();
  pipeline::Runs runs;
  for (const auto& info : agents) {
    auto id = parse_story_id(info.story_id);
    if (id.ok()) {
      runs.push_back(
          pipeline::RunSnapshot{id.value(), info.agent_name, agents::to_run_status(info.status)});
    }
  }
  auto plan = pipeline::plan_auto_assign(offered(items, agents), *context_.config, runs);
  for (const auto& assignment : plan.assignments) {
    if (context_.stopping) co_return;
    agents::StartRequest request;
    request.story = assignment.story.str();
    request.agent = assignment.agent;
    auto started = co_await context_.pool.start_agent(request);
    if (started.ok()) {
      context_.emit(request.story, "assigned",
                    {{"agent", assignment.agent}, {"stage", stage_name(assignment.stage)}});
    } else {
      context_.emit(request.story, "assign_failed",
                    {{"agent", assignment.agent}, {"message", started.error().message}});
    }
  }
}

// Items the pipeline itself is busy with are not offered to auto-assign: a coder whose run
// just ended waits for its completion check (else a second coder would start while the gate
// runs), a coder a person stopped stays stopped until someone starts it, and merges are the
// server's own work (a mergemaster is started when a merge fails).
std::vector<pipeline::ItemSnapshot> Reconciler::offered(
    const std::vector<pipeline::ItemSnapshot>& items,
    const std::vector<agents::AgentInfo>& agents) const {
  std::map<std::string, const agents::AgentInfo*> latest_coder_run;
  for (const auto& info : agents) {
    if (!parse_story_id(info.story_id).ok()) continue;
    if (pipeline::agent_stage_of(*context_.config, info.agent_name) != AgentStage::Coder) continue;
    auto& latest = latest_coder_run[info.story_id];
    if (latest == nullptr || info.run_id > latest->run_id) latest = &info;
  }
  std::vector<pipeline::ItemSnapshot> offered;
  for (const auto& item : items) {
    // Auto-assign gives work in 2_current (coders) and 3_qa (QA agents) only.
    if (item.stage != Stage::Current && item.stage != Stage::Qa) continue;
    const auto id = item.id.str();
    if (item.stage == Stage::Current) {
      if (completion_.checking(id)) continue;
      auto latest = latest_coder_run.find(id);
      if (latest != latest_coder_run.end()) {
        const auto status = latest->second->status;
        if (status == agents::AgentStatus::Stopped) continue;
        const bool ended =
            status == agents::AgentStatus::Completed || status == agents::AgentStatus::Failed;
        if (ended && !completion_.processed(latest->second->run_id)) continue;
      }
    }
    offered.push_back(item);
  }
  return offered;
}

// Every item in 4_merge that is not held goes through the merge queue, oldest first.
void Reconciler::queue_merges(const std::vector<pipeline::ItemSnapshot>& items) {
  for (const auto& item : items) {
    if (item.stage != Stage::Merge || item.blocked || item.merge_failure) continue;
    merges_.enqueue(item.id.str());
  }
}

}  // namespace stork::engine
