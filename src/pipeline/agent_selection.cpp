#include "pipeline/agent_selection.hpp"

#include <algorithm>

#include "pipeline/stage_rules.hpp"

namespace stork::pipeline {

namespace {

constexpr std::string_view kQueuedTail =
    "has been queued in work/2_current/ and will be auto-assigned when";

bool has_agent_of_stage(const ProjectConfig& config, AgentStage stage) {
  return std::any_of(config.agents.begin(), config.agents.end(),
                     [&](const AgentConfig& agent) { return agent.stage == stage; });
}

}  // namespace

AgentPick pick_agent(const ProjectConfig& config, AgentStage stage,
                     const std::optional<std::string>& preferred, const BusyAgents& busy) {
  if (preferred) {
    const AgentConfig* named = config.find_agent(*preferred);
    if (named != nullptr && named->stage == stage) {
      if (busy.contains(named->name)) return {AgentPick::Kind::PreferredBusy, named->name};
      return {AgentPick::Kind::Picked, named->name};
    }
  }
  if (!has_agent_of_stage(config, stage)) return {AgentPick::Kind::NoneConfigured, {}};
  for (const AgentConfig& agent : config.agents) {
    if (agent.stage == stage && !busy.contains(agent.name)) {
      return {AgentPick::Kind::Picked, agent.name};
    }
  }
  return {AgentPick::Kind::AllBusy, {}};
}

std::string NoCoderConfigured::message() const {
  return "No coder agent configured to start story '" + story.str() +
         "'. Specify an agent_name explicitly.";
}

std::string PreferredCoderBusy::message() const {
  std::string text = "Preferred agent '" + agent + "' from story front matter is busy";
  if (busy_on) text += " on story '" + busy_on->str() + "'";
  return text + "; story '" + story.str() + "' " + std::string(kQueuedTail) +
         " it becomes available";
}

std::string AllCodersBusy::message() const {
  return "All coder agents are busy; story '" + story.str() + "' " + std::string(kQueuedTail) +
         " one becomes available";
}

std::string CoderLimitReached::message() const {
  return "max_coders (" + std::to_string(max_coders) + ") coders are already running (" +
         std::to_string(active_coders) + " active); story '" + story.str() + "' " +
         std::string(kQueuedTail) + " one finishes";
}

std::string message(const CoderSelectionError& error) {
  return std::visit([](const auto& e) { return e.message(); }, error);
}

Result<std::string, CoderSelectionError> select_coder(const StoryId& story,
                                                      const std::optional<std::string>& preferred,
                                                      const ProjectConfig& config,
                                                      const Runs& runs) {
  if (!has_agent_of_stage(config, AgentStage::Coder)) {
    return fail(CoderSelectionError{NoCoderConfigured{story}});
  }
  // The cap is checked before the preference: a preferred coder that is free still may not
  // push the number of running coders past max_coders.
  const int active = count_active_at_stage(runs, config, AgentStage::Coder);
  if (active >= config.max_coders) {
    return fail(CoderSelectionError{CoderLimitReached{story, config.max_coders, active}});
  }
  AgentPick pick = pick_agent(config, AgentStage::Coder, preferred, busy_agents(runs));
  switch (pick.kind) {
    case AgentPick::Kind::Picked:
      return pick.agent;
    case AgentPick::Kind::PreferredBusy: {
      const RunSnapshot* run = active_run_of(runs, pick.agent);
      std::optional<StoryId> busy_on = run ? std::optional(run->story) : std::nullopt;
      return fail(CoderSelectionError{PreferredCoderBusy{story, pick.agent, busy_on}});
    }
    case AgentPick::Kind::AllBusy:
      return fail(CoderSelectionError{AllCodersBusy{story}});
    case AgentPick::Kind::NoneConfigured:
      break;
  }
  return fail(CoderSelectionError{NoCoderConfigured{story}});
}

}  // namespace stork::pipeline
