// AgentOps::reset: an item back to the start, for chat's `reset ID` (and any surface that
// wants it): the pipeline moves the file to 1_backlog and clears a block, the pool stops its
// runs and removes its worktree. Each step is the existing operation, in the order that lets
// the next one succeed (a worktree cannot be removed under an active run) and lets nothing
// restart the item meanwhile.
#include "agents/agent_status.hpp"
#include "ops/agent_ops.hpp"

namespace stork::ops {
namespace asio = boost::asio;

asio::awaitable<AgentOpResult<ResetOutcome>> AgentOps::reset(std::string story) {
  auto shown = co_await items_.show(story);
  if (!shown.ok()) co_return fail(AgentOpError{shown.error()});
  ResetOutcome outcome;
  outcome.story = shown.value().id;
  outcome.from = shown.value().stage;
  auto& pool = *items_.services().pool;
  // Out of the pipeline first: in 1_backlog nothing starts an agent on it again (an unblocked
  // item left in 2_current would be picked up by auto-assign while we clean up).
  if (outcome.from != Stage::Backlog) {
    auto moved = co_await items_.move(outcome.story, Stage::Backlog);
    if (!moved.ok()) co_return fail(AgentOpError{moved.error()});
  }
  const auto runs = co_await pool.list_agents();
  for (const auto& run : runs) {
    if (run.story_id != outcome.story || !agents::is_active(run.status)) continue;
    std::string reason = "reset";
    auto stopped = co_await pool.stop_agent(outcome.story, run.agent_name, reason);
    // The move stops leavers too; a run that ended meanwhile is what we wanted.
    if (!stopped.ok() && stopped.error().kind != agents::PoolError::Kind::NotFound)
      co_return fail(AgentOpError{stopped.error()});
    outcome.stopped_agents.push_back(run.agent_name);
  }
  if (shown.value().blocked || shown.value().merge_failure) {
    auto unblocked = co_await items_.unblock(outcome.story);
    if (!unblocked.ok()) co_return fail(AgentOpError{unblocked.error()});
  }
  auto removed = co_await pool.remove_worktree_for(outcome.story);
  if (!removed.ok()) co_return fail(AgentOpError{removed.error()});
  outcome.worktree_removed = true;
  co_return outcome;
}

}  // namespace stork::ops
