// Snapshot: the facts the scheduling rules look at, copied out of the work store and the agent
// pool by the caller (items with their stage and flags, runs with their status), plus the
// queries over them that several rules share. Plain values: nothing here reads a file or
// holds a reference into the pool.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/project_config.hpp"
#include "work/stage.hpp"
#include "work/story_id.hpp"

namespace stork::pipeline {

// One work item as auto-assign and dependency promotion see it.
struct ItemSnapshot {
  StoryId id;
  Stage stage = Stage::Backlog;
  bool blocked = false;
  bool review_hold = false;
  bool merge_failure = false;                  // front matter has a `merge_failure` text
  std::vector<std::string> depends_on;         // "12_story_x" or "12", as written
  std::optional<std::string> preferred_agent;  // front matter `agent`
};

enum class RunStatus { Pending, Running, Completed, Failed };

// Pending counts as active: a run registered but still creating its worktree already owns its
// agent and its stage on the item (storkit story 132).
constexpr bool is_active(RunStatus status) {
  return status == RunStatus::Pending || status == RunStatus::Running;
}

std::string_view to_string(RunStatus status);  // "pending", "running", ...

// One agent run the pool knows of, finished or not.
struct RunSnapshot {
  StoryId story;
  std::string agent_name;
  RunStatus status = RunStatus::Running;
};

using Runs = std::vector<RunSnapshot>;

// Names of agents that cannot take new work: one agent name runs one item at a time.
using BusyAgents = std::set<std::string, std::less<>>;
BusyAgents busy_agents(const Runs& runs);

// The active run of `agent_name`, on whichever item; nullptr when the agent is free.
const RunSnapshot* active_run_of(const Runs& runs, std::string_view agent_name);

// Another agent's active run on `story` at `stage` (stages by agent_stage_of); nullptr if none.
// `except_agent` is left out so that an agent never conflicts with itself.
const RunSnapshot* active_run_at_stage(const Runs& runs, const ProjectConfig& config,
                                       const StoryId& story, AgentStage stage,
                                       std::string_view except_agent = {});

// Active runs of agents of `stage`; for coders, what max_coders is measured against.
int count_active_at_stage(const Runs& runs, const ProjectConfig& config, AgentStage stage);

}  // namespace stork::pipeline
