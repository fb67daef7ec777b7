// Reconciler::stop_leavers: an item moved back to the backlog, blocked, archived or deleted
// stops the agent working on it (stopped, not failed; the worktree stays), announced as the
// pipeline event `agent_stopped` with the reason, which is also the run's exit_reason.
#include <spdlog/spdlog.h>

#include "agents/agent_pool.hpp"
#include "agents/agent_status.hpp"
#include "engine/pipeline_context.hpp"
#include "engine/reconciler.hpp"
#include "pipeline/stage_exit.hpp"
#include "pipeline/stage_rules.hpp"

namespace stork::engine {
namespace asio = boost::asio;

asio::awaitable<void> Reconciler::stop_leavers(const std::vector<pipeline::ItemSnapshot>& items,
                                               const std::set<std::string>& unreadable,
                                               std::int64_t listed_at_ms) {
  const auto runs = co_await context_.pool.list_agents();
  for (const auto& run : runs) {
    if (!agents::is_active(run.status) || run.started_at_ms >= listed_at_ms) continue;
    const pipeline::ItemSnapshot* item = nullptr;
    if (auto id = parse_story_id(run.story_id); id.ok()) {
      // Numbers first: no id is spelled out per item (10,000 items x every active run).
      for (const auto& candidate : items) {
        if (candidate.id.number == id.value().number && candidate.id == id.value())
          item = &candidate;
      }
      // A finished item is not among the pass's items (SnapshotCache::Read); the cache has it,
      // unchanged since the read: one reconcile at a time.
      if (item == nullptr) item = snapshots_.find(id.value());
    }
    const auto stage = pipeline::agent_stage_of(*context_.config, run.agent_name);
    const auto reason =
        pipeline::stage_exit_reason(stage, item, unreadable.count(run.story_id) > 0);
    if (!reason || context_.stopping) continue;
    spdlog::info("pipeline: stopping {} on {}: {}", run.agent_name, run.story_id, *reason);
    auto stopping = context_.pool.stop_agent(run.story_id, run.agent_name, *reason);
    auto stopped = co_await std::move(stopping);
    if (!stopped.ok()) {
      spdlog::warn("pipeline: cannot stop {} on {}: {}", run.agent_name, run.story_id,
                   stopped.error().message);
      continue;
    }
    context_.emit(run.story_id, "agent_stopped",
                  {{"agent", run.agent_name}, {"run_id", run.run_id}, {"reason", *reason}});
  }
}

}  // namespace stork::engine
