#include "pipeline/snapshot.hpp"

#include <algorithm>

#include "pipeline/stage_rules.hpp"

namespace stork::pipeline {

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::Pending:
      return "pending";
    case RunStatus::Running:
      return "running";
    case RunStatus::Completed:
      return "completed";
    case RunStatus::Failed:
      return "failed";
  }
  return "failed";
}

BusyAgents busy_agents(const Runs& runs) {
  BusyAgents busy;
  for (const RunSnapshot& run : runs) {
    if (is_active(run.status)) busy.insert(run.agent_name);
  }
  return busy;
}

const RunSnapshot* active_run_of(const Runs& runs, std::string_view agent_name) {
  auto it = std::find_if(runs.begin(), runs.end(), [&](const RunSnapshot& run) {
    return is_active(run.status) && run.agent_name == agent_name;
  });
  return it == runs.end() ? nullptr : &*it;
}

const RunSnapshot* active_run_at_stage(const Runs& runs, const ProjectConfig& config,
                                       const StoryId& story, AgentStage stage,
                                       std::string_view except_agent) {
  auto it = std::find_if(runs.begin(), runs.end(), [&](const RunSnapshot& run) {
    return is_active(run.status) && run.story == story && run.agent_name != except_agent &&
           agent_stage_of(config, run.agent_name) == stage;
  });
  return it == runs.end() ? nullptr : &*it;
}

int count_active_at_stage(const Runs& runs, const ProjectConfig& config, AgentStage stage) {
  return static_cast<int>(std::count_if(runs.begin(), runs.end(), [&](const RunSnapshot& run) {
    return is_active(run.status) && agent_stage_of(config, run.agent_name) == stage;
  }));
}

}  // namespace stork::pipeline
