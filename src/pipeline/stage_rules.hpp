// Stage rules: which pipeline stage an agent of each AgentStage works in, and whether a given
// agent may attach to an item where it is. Pure functions of their arguments: they never read
// the item's file or move it; when a coder is started on a backlog item they say the item must
// move, and the caller moves it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "config/project_config.hpp"
#include "work/stage.hpp"
#include "work/story_id.hpp"

namespace stork::pipeline {

// The agent stage that works on items in `stage`: Backlog and Current → Coder (starting a coder
// on a backlog item moves it to current), Qa → Qa, Merge → Mergemaster. Done and Archived have
// none: only an Other agent may attach there.
std::optional<AgentStage> required_agent_stage(Stage stage);

// The item stage an agent stage takes work from in auto-assign; nullopt for Other, which is
// never auto-assigned.
std::optional<Stage> work_stage_of(AgentStage agent_stage);

// The stage of an agent by name: its configured stage, or storkit's name-based inference when
// the name is not (or no longer) in the roster, e.g. a run started before a config reload.
AgentStage agent_stage_of(const ProjectConfig& config, std::string_view agent_name);

// What the caller must do to attach an agent that the rules allow.
enum class AttachAction {
  AttachInPlace,            // the item stays where it is
  MoveToCurrentThenAttach,  // a coder on a backlog item: move 1_backlog → 2_current first
};

// An agent whose stage does not match the item's stage.
struct StageMismatch {
  std::string agent;
  AgentStage agent_stage = AgentStage::Other;
  StoryId story;
  Stage item_stage = Stage::Backlog;
  std::optional<AgentStage> required;  // nullopt: Done/Archived, where only Other may attach
  std::string message() const;
};

Result<AttachAction, StageMismatch> check_attach(std::string_view agent_name,
                                                 AgentStage agent_stage, const StoryId& story,
                                                 Stage item_stage);

}  // namespace stork::pipeline
