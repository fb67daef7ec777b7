// The rule that stops an agent whose item left its stage: moved back to the backlog, blocked,
// archived, or its file deleted (the agent is stopped, not failed; its worktree is kept). Pure:
// the reconciler applies it to the pool's active runs on every pass.
#pragma once

#include <optional>
#include <string>

#include "config/project_config.hpp"
#include "pipeline/snapshot.hpp"

namespace stork::pipeline {

// Why a run of an agent of `agent_stage` on the item must stop, or nothing. `item` is null when
// no file of the item was found; `unreadable` is true when a file of it exists but does not
// parse (then nothing is decided: a person is editing it). Other agents (supervisors) are
// never stopped by this rule, and an item that moved on (current → qa → merge) is not either:
// its run finishes by itself.
std::optional<std::string> stage_exit_reason(AgentStage agent_stage, const ItemSnapshot* item,
                                             bool unreadable);

}  // namespace stork::pipeline
