// Start checks: the concurrency rules a new run must pass, checked against a snapshot of the
// runs (storkit start_agent, stories 132 and 230): one agent name runs one item at a time, and
// an item has at most one active agent per pipeline stage. Pure: the pool calls this and
// registers the run in the same strand handler, so nothing can slip in between.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.hpp"
#include "config/project_config.hpp"
#include "pipeline/snapshot.hpp"
#include "work/story_id.hpp"

namespace stork::pipeline {

// An explicit agent name that is not in the roster.
struct UnknownAgent {
  std::string name;
  std::vector<std::string> known;  // the configured agents, to say which names would do
  // "no agent named 'X' in .storkit/project.toml (configured: coder-1, qa)": the one wording
  // for every refusal of an unknown name (start, story new --agent, REST/MCP edits).
  std::string message() const;
};

Result<const AgentConfig*, UnknownAgent> find_configured_agent(const ProjectConfig& config,
                                                               std::string_view name);

// The same agent already has an active run on the same item.
struct AgentAlreadyOnStory {
  StoryId story;
  std::string agent;
  RunStatus status = RunStatus::Running;  // of the existing run: pending or running
  std::string message() const;
};

// Another agent of the same stage is active on the item (two coders would corrupt each
// other's worktree). Agents of stage Other are exempt.
struct SameStageConflict {
  StoryId story;
  std::string agent;         // the one asked for
  std::string active_agent;  // the one already there
  AgentStage stage = AgentStage::Coder;
  std::string message() const;
};

// The agent is active on another item; the requested item waits for it.
struct AgentBusyElsewhere {
  std::string agent;
  StoryId busy_on;
  StoryId requested;
  std::string message() const;
};

using StartConflict = std::variant<AgentAlreadyOnStory, SameStageConflict, AgentBusyElsewhere>;
std::string message(const StartConflict& conflict);

// Checks, in storkit's order, whether `agent_name` may start on `story` now. Completed and
// failed runs never conflict. The agent's stage is agent_stage_of(config, agent_name).
Result<void, StartConflict> check_start_conflicts(const StoryId& story, std::string_view agent_name,
                                                  const ProjectConfig& config, const Runs& runs);

}  // namespace stork::pipeline
