#include "pipeline/start_checks.hpp"

#include <algorithm>

#include "pipeline/stage_rules.hpp"

namespace stork::pipeline {

namespace {

const RunSnapshot* active_run_on(const Runs& runs, const StoryId& story,
                                 std::string_view agent_name) {
  auto it = std::find_if(runs.begin(), runs.end(), [&](const RunSnapshot& run) {
    return is_active(run.status) && run.story == story && run.agent_name == agent_name;
  });
  return it == runs.end() ? nullptr : &*it;
}

const RunSnapshot* active_run_elsewhere(const Runs& runs, const StoryId& story,
                                        std::string_view agent_name) {
  auto it = std::find_if(runs.begin(), runs.end(), [&](const RunSnapshot& run) {
    return is_active(run.status) && run.story != story && run.agent_name == agent_name;
  });
  return it == runs.end() ? nullptr : &*it;
}

}  // namespace

std::string UnknownAgent::message() const {
  std::string text = "no agent named '" + name + "' in .storkit/project.toml";
  if (known.empty()) return text + " (no agent is configured: add [[agent]] tables)";
  text += " (configured: ";
  for (std::size_t i = 0; i < known.size(); ++i)
    text += (i > 0 ? ", " : "") + known[i];
  return text + ")";
}

Result<const AgentConfig*, UnknownAgent> find_configured_agent(const ProjectConfig& config,
                                                               std::string_view name) {
  if (const AgentConfig* agent = config.find_agent(name)) return agent;
  UnknownAgent unknown{std::string(name), {}};
  for (const auto& agent : config.agents)
    unknown.known.push_back(agent.name);
  return fail(std::move(unknown));
}

std::string AgentAlreadyOnStory::message() const {
  return "Agent '" + agent + "' for story '" + story.str() + "' is already " +
         std::string(to_string(status));
}

std::string SameStageConflict::message() const {
  return "Cannot start '" + agent + "' on story '" + story.str() + "': '" + active_agent +
         "' is already active at the same pipeline stage (" + std::string(to_string(stage)) + ")";
}

std::string AgentBusyElsewhere::message() const {
  return "Agent '" + agent + "' is already running on story '" + busy_on.str() + "'; story '" +
         requested.str() + "' will be picked up when the agent becomes available";
}

std::string message(const StartConflict& conflict) {
  return std::visit([](const auto& c) { return c.message(); }, conflict);
}

Result<void, StartConflict> check_start_conflicts(const StoryId& story, std::string_view agent_name,
                                                  const ProjectConfig& config, const Runs& runs) {
  if (const RunSnapshot* run = active_run_on(runs, story, agent_name)) {
    return fail(StartConflict{AgentAlreadyOnStory{story, std::string(agent_name), run->status}});
  }
  const AgentStage stage = agent_stage_of(config, agent_name);
  if (stage != AgentStage::Other) {
    if (const RunSnapshot* run = active_run_at_stage(runs, config, story, stage, agent_name)) {
      return fail(
          StartConflict{SameStageConflict{story, std::string(agent_name), run->agent_name, stage}});
    }
  }
  if (const RunSnapshot* run = active_run_elsewhere(runs, story, agent_name)) {
    return fail(StartConflict{AgentBusyElsewhere{std::string(agent_name), run->story, story}});
  }
  return {};
}

}  // namespace stork::pipeline
