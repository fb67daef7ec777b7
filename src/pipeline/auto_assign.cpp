#include "pipeline/auto_assign.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "pipeline/agent_selection.hpp"
#include "pipeline/stage_rules.hpp"

namespace stork::pipeline {

namespace {

std::optional<SkipReason> flag_skip(const ItemSnapshot& item) {
  if (item.blocked) return SkipReason::Blocked;
  if (item.review_hold) return SkipReason::ReviewHold;
  if (item.merge_failure) return SkipReason::MergeFailure;
  return std::nullopt;
}

// Lowest number first: numbers are handed out in creation order, so this is oldest first.
std::vector<const ItemSnapshot*> oldest_first(const std::vector<ItemSnapshot>& items, Stage stage) {
  std::vector<const ItemSnapshot*> in_stage;
  for (const ItemSnapshot& item : items) {
    if (item.stage == stage) in_stage.push_back(&item);
  }
  std::stable_sort(
      in_stage.begin(), in_stage.end(),
      [](const ItemSnapshot* a, const ItemSnapshot* b) { return a->id.number < b->id.number; });
  return in_stage;
}

// One planning pass. Agents and coder slots taken by earlier assignments in the pass count as
// taken, exactly as if those runs had already started.
class Planner {
 public:
  Planner(const ProjectConfig& config, const Runs& runs)
      : config_(config),
        runs_(runs),
        busy_(busy_agents(runs)),
        active_coders_(count_active_at_stage(runs, config, AgentStage::Coder)) {}

  void scan(const std::vector<ItemSnapshot>& items, AgentStage agent_stage) {
    std::optional<Stage> stage = work_stage_of(agent_stage);
    if (!stage) return;
    for (const ItemSnapshot* item : oldest_first(items, *stage)) {
      consider(*item, agent_stage);
    }
  }

  AutoAssignPlan take_plan() { return std::move(plan_); }

 private:
  void skip(const ItemSnapshot& item, SkipReason reason, std::string agent = {}) {
    plan_.skipped.push_back({item.id, item.stage, reason, std::move(agent)});
  }

  void consider(const ItemSnapshot& item, AgentStage agent_stage) {
    if (std::optional<SkipReason> reason = flag_skip(item)) return skip(item, *reason);
    if (const RunSnapshot* run = active_run_at_stage(runs_, config_, item.id, agent_stage)) {
      return skip(item, SkipReason::AgentAlreadyActive, run->agent_name);
    }
    const bool coder = agent_stage == AgentStage::Coder;
    if (coder && active_coders_ >= config_.max_coders) {
      return skip(item, SkipReason::CoderLimitReached);
    }
    AgentPick pick = pick_agent(config_, agent_stage, item.preferred_agent, busy_);
    switch (pick.kind) {
      case AgentPick::Kind::Picked:
        break;
      case AgentPick::Kind::PreferredBusy:
        return skip(item, SkipReason::PreferredAgentBusy, std::move(pick.agent));
      case AgentPick::Kind::AllBusy:
        return skip(item, SkipReason::AllAgentsBusy);
      case AgentPick::Kind::NoneConfigured:
        return skip(item, SkipReason::NoAgentConfigured);
    }
    busy_.insert(pick.agent);
    if (coder) ++active_coders_;
    plan_.assignments.push_back({item.id, item.stage, std::move(pick.agent), agent_stage});
  }

  const ProjectConfig& config_;
  const Runs& runs_;
  BusyAgents busy_;
  int active_coders_;
  AutoAssignPlan plan_;
};

}  // namespace

std::string_view to_string(SkipReason reason) {
  switch (reason) {
    case SkipReason::Blocked:
      return "blocked";
    case SkipReason::ReviewHold:
      return "held for review";
    case SkipReason::MergeFailure:
      return "merge failed";
    case SkipReason::AgentAlreadyActive:
      return "an agent of this stage is already active";
    case SkipReason::PreferredAgentBusy:
      return "the preferred agent is busy";
    case SkipReason::AllAgentsBusy:
      return "all agents of this stage are busy";
    case SkipReason::NoAgentConfigured:
      return "no agent is configured for this stage";
    case SkipReason::CoderLimitReached:
      return "max_coders coders are running";
  }
  return "";
}

AutoAssignPlan plan_auto_assign(const std::vector<ItemSnapshot>& items, const ProjectConfig& config,
                                const Runs& runs) {
  Planner planner(config, runs);
  for (AgentStage stage : {AgentStage::Coder, AgentStage::Qa, AgentStage::Mergemaster}) {
    planner.scan(items, stage);
  }
  return planner.take_plan();
}

}  // namespace stork::pipeline
