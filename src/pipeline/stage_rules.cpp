#include "pipeline/stage_rules.hpp"

namespace stork::pipeline {

namespace {

// storkit prints agent stages with Rust's Debug format ("Mergemaster"); keeping that spelling
// keeps the attach error identical to the one its users already know.
std::string_view debug_name(AgentStage stage) {
  switch (stage) {
    case AgentStage::Coder:
      return "Coder";
    case AgentStage::Qa:
      return "Qa";
    case AgentStage::Mergemaster:
      return "Mergemaster";
    case AgentStage::Other:
      return "Other";
  }
  return "Other";
}

}  // namespace

std::optional<AgentStage> required_agent_stage(Stage stage) {
  switch (stage) {
    case Stage::Backlog:
    case Stage::Current:
      return AgentStage::Coder;
    case Stage::Qa:
      return AgentStage::Qa;
    case Stage::Merge:
      return AgentStage::Mergemaster;
    case Stage::Done:
    case Stage::Archived:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Stage> work_stage_of(AgentStage agent_stage) {
  switch (agent_stage) {
    case AgentStage::Coder:
      return Stage::Current;
    case AgentStage::Qa:
      return Stage::Qa;
    case AgentStage::Mergemaster:
      return Stage::Merge;
    case AgentStage::Other:
      return std::nullopt;
  }
  return std::nullopt;
}

AgentStage agent_stage_of(const ProjectConfig& config, std::string_view agent_name) {
  if (const AgentConfig* agent = config.find_agent(agent_name)) return agent->stage;
  return infer_agent_stage(agent_name);
}

std::string StageMismatch::message() const {
  std::string text = "Agent '" + agent + "' (stage: " + std::string(debug_name(agent_stage)) +
                     ") cannot be assigned to story '" + story.str() + "' in " +
                     std::string(stage_dir_name(item_stage)) + "/ ";
  if (required) return text + "(requires stage: " + std::string(debug_name(*required)) + ")";
  return text + "(only an agent of stage: Other may attach to a finished item)";
}

Result<AttachAction, StageMismatch> check_attach(std::string_view agent_name,
                                                 AgentStage agent_stage, const StoryId& story,
                                                 Stage item_stage) {
  // Other (a supervisor) watches or helps at any stage and never moves the item.
  if (agent_stage == AgentStage::Other) return AttachAction::AttachInPlace;
  std::optional<AgentStage> required = required_agent_stage(item_stage);
  if (required != agent_stage) {
    return fail(StageMismatch{std::string(agent_name), agent_stage, story, item_stage, required});
  }
  // Only a coder can get here with a backlog item; QA and mergemaster never demote or promote.
  if (item_stage == Stage::Backlog) return AttachAction::MoveToCurrentThenAttach;
  return AttachAction::AttachInPlace;
}

}  // namespace stork::pipeline
