// The pool's refusals as PoolError values: each builder takes the typed facts of one refusal
// (the pipeline's start checks, coder selection and stage rules, or the pool's own waits and
// worktree steps) and fills the error's fields and its message. The one place where the pool
// renders an error to text; internal to the agents module.
#pragma once

#include <chrono>
#include <string>

#include "agents/agent_pool.hpp"
#include "pipeline/agent_selection.hpp"
#include "pipeline/stage_rules.hpp"
#include "pipeline/start_checks.hpp"

namespace stork::agents::pool_errors {

PoolError shutting_down();
PoolError unknown_story(std::string story, std::string message);
PoolError unknown_agent(const pipeline::UnknownAgent& unknown);
// `stage` has no agent of its own (Done, Archived...): only a named agent of stage Other.
PoolError no_agent_for_stage(const StoryId& story, Stage stage);
PoolError from_selection(const pipeline::CoderSelectionError& error, Stage stage);
// A pick of an agent of `agent_stage` that found none free (or none configured).
PoolError from_pick(const pipeline::AgentPick& pick, AgentStage agent_stage, const StoryId& story,
                    Stage stage);
PoolError from_mismatch(const pipeline::StageMismatch& mismatch);
PoolError from_conflict(const pipeline::StartConflict& conflict);
PoolError not_found(std::string story, std::string agent);
PoolError timeout(std::string story, std::string agent, std::chrono::milliseconds waited,
                  AgentStatus still);
PoolError state(std::string message);
// `run` is preparing the item's worktree (it is Pending).
PoolError worktree_in_use(const AgentInfo& run);
// `run` is active on the item: its worktree must stay.
PoolError run_active(const AgentInfo& run);
PoolError worktree_failed(const WorktreeError& error);

}  // namespace stork::agents::pool_errors
