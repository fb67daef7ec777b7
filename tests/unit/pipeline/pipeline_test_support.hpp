// Builders for the pipeline tests: story ids, rosters, items and runs in one line each, so a
// test states its scenario and nothing else. Test-only; header-only.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

#include "config/project_config.hpp"
#include "pipeline/snapshot.hpp"
#include "work/stage.hpp"
#include "work/story_id.hpp"

namespace stork::pipeline::testing {

inline StoryId story(long number, std::string slug = "item", ItemType type = ItemType::Story) {
  return StoryId{number, type, std::move(slug)};
}

inline AgentConfig agent(std::string name, AgentStage stage) {
  AgentConfig config;
  config.name = std::move(name);
  config.stage = stage;
  return config;
}

inline ProjectConfig roster(std::initializer_list<AgentConfig> agents, int max_coders = 3) {
  ProjectConfig config;
  config.agents = agents;
  config.max_coders = max_coders;
  return config;
}

// storkit's usual roster: two coders, a QA agent, a mergemaster and a supervisor.
inline ProjectConfig standard_roster(int max_coders = 3) {
  return roster({agent("coder-1", AgentStage::Coder), agent("coder-2", AgentStage::Coder),
                 agent("qa", AgentStage::Qa), agent("mergemaster", AgentStage::Mergemaster),
                 agent("supervisor", AgentStage::Other)},
                max_coders);
}

inline ItemSnapshot item(StoryId id, Stage stage) {
  ItemSnapshot snapshot;
  snapshot.id = std::move(id);
  snapshot.stage = stage;
  return snapshot;
}

inline RunSnapshot run(StoryId id, std::string agent_name, RunStatus status = RunStatus::Running) {
  return RunSnapshot{std::move(id), std::move(agent_name), status};
}

}  // namespace stork::pipeline::testing
