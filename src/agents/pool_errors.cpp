#include "agents/pool_errors.hpp"

#include <variant>

namespace stork::agents::pool_errors {
namespace {

using Kind = PoolError::Kind;
using Cause = PoolError::Cause;

PoolError make(Kind kind, std::string message, Cause cause = Cause::None) {
  PoolError error;
  error.kind = kind;
  error.message = std::move(message);
  error.cause = cause;
  return error;
}

}  // namespace

PoolError shutting_down() {
  return make(Kind::ShuttingDown, "stork is shutting down");
}

PoolError unknown_story(std::string story, std::string message) {
  auto error = make(Kind::UnknownStory, std::move(message));
  error.story = std::move(story);
  return error;
}

PoolError unknown_agent(const pipeline::UnknownAgent& unknown) {
  auto error = make(Kind::UnknownAgent, unknown.message());
  error.agent = unknown.name;
  return error;
}

PoolError no_agent_for_stage(const StoryId& story, Stage stage) {
  auto error = make(Kind::StageMismatch,
                    "'" + story.str() + "' is in " + std::string(stage_dir_name(stage)) +
                        ": no agent works on it unless one of stage 'other' is named");
  error.story = story.str();
  error.stage = stage;
  return error;
}

PoolError from_selection(const pipeline::CoderSelectionError& selection, Stage stage) {
  const bool none = std::holds_alternative<pipeline::NoCoderConfigured>(selection);
  auto error = make(none ? Kind::UnknownAgent : Kind::Queued, pipeline::message(selection));
  error.stage = stage;
  error.agent_stage = AgentStage::Coder;
  error.queued = !none;
  std::visit(
      [&error](const auto& facts) {
        using T = std::decay_t<decltype(facts)>;
        error.story = facts.story.str();
        if constexpr (std::is_same_v<T, pipeline::NoCoderConfigured>) {
          error.cause = Cause::NoneConfigured;
        } else if constexpr (std::is_same_v<T, pipeline::PreferredCoderBusy>) {
          error.cause = Cause::PreferredBusy;
          error.agent = facts.agent;
          if (facts.busy_on) error.busy_on = facts.busy_on->str();
        } else if constexpr (std::is_same_v<T, pipeline::AllCodersBusy>) {
          error.cause = Cause::AllBusy;
        } else {
          error.cause = Cause::CoderLimit;
          error.max_coders = facts.max_coders;
          error.active_coders = facts.active_coders;
        }
      },
      selection);
  return error;
}

PoolError from_pick(const pipeline::AgentPick& pick, AgentStage agent_stage, const StoryId& story,
                    Stage stage) {
  const std::string stage_name(to_string(agent_stage));
  const bool none = pick.kind == pipeline::AgentPick::Kind::NoneConfigured;
  auto error =
      none ? make(Kind::UnknownAgent,
                  "no " + stage_name + " agent is configured for '" + story.str() + "'",
                  Cause::NoneConfigured)
           : make(Kind::Queued,
                  "every " + stage_name + " agent is busy; '" + story.str() + "' waits in " +
                      std::string(stage_dir_name(stage)) + " until one becomes available",
                  pick.kind == pipeline::AgentPick::Kind::PreferredBusy ? Cause::PreferredBusy
                                                                        : Cause::AllBusy);
  error.story = story.str();
  error.stage = stage;
  error.agent_stage = agent_stage;
  error.agent = pick.agent;
  error.queued = !none;
  return error;
}

PoolError from_mismatch(const pipeline::StageMismatch& mismatch) {
  auto error = make(Kind::StageMismatch, mismatch.message());
  error.story = mismatch.story.str();
  error.agent = mismatch.agent;
  error.stage = mismatch.item_stage;
  error.agent_stage = mismatch.agent_stage;
  return error;
}

PoolError from_conflict(const pipeline::StartConflict& conflict) {
  auto error = make(Kind::Conflict, pipeline::message(conflict));
  if (const auto* same = std::get_if<pipeline::AgentAlreadyOnStory>(&conflict)) {
    error.cause = Cause::AgentAlreadyOnStory;
    error.story = same->story.str();
    error.agent = error.holder = same->agent;
  } else if (const auto* stage = std::get_if<pipeline::SameStageConflict>(&conflict)) {
    error.cause = Cause::SameStage;
    error.story = stage->story.str();
    error.agent = stage->agent;
    error.holder = stage->active_agent;
    error.agent_stage = stage->stage;
  } else if (const auto* busy = std::get_if<pipeline::AgentBusyElsewhere>(&conflict)) {
    error.cause = Cause::AgentBusyElsewhere;
    error.story = busy->requested.str();
    error.agent = error.holder = busy->agent;
    error.busy_on = busy->busy_on.str();
    error.queued = true;
  }
  return error;
}

PoolError not_found(std::string story, std::string agent) {
  auto error = make(Kind::NotFound, "no run of agent '" + agent + "' on '" + story + "'");
  error.story = std::move(story);
  error.agent = std::move(agent);
  return error;
}

PoolError timeout(std::string story, std::string agent, std::chrono::milliseconds waited,
                  AgentStatus still) {
  auto error = make(Kind::Timeout, "Timed out after " + std::to_string(waited.count()) +
                                       " ms waiting for agent '" + agent + "' on '" + story +
                                       "' (still " + std::string(to_string(still)) + ")");
  error.story = std::move(story);
  error.agent = std::move(agent);
  error.waited = waited;
  error.holder_status = still;
  return error;
}

PoolError state(std::string message) {
  return make(Kind::State, std::move(message));
}

PoolError worktree_in_use(const AgentInfo& run) {
  auto error = make(Kind::Conflict,
                    run.agent_name + " is starting on " + run.story_id +
                        " and is preparing this worktree; try again shortly",
                    Cause::WorktreeInUse);
  error.story = run.story_id;
  error.holder = run.agent_name;
  error.holder_run = run.run_id;
  error.holder_status = run.status;
  return error;
}

PoolError run_active(const AgentInfo& run) {
  auto error = make(Kind::Conflict,
                    run.agent_name + " is " + std::string(to_string(run.status)) + " on " +
                        run.story_id + ": stop_agent first, then remove the worktree",
                    Cause::RunActive);
  error.story = run.story_id;
  error.holder = run.agent_name;
  error.holder_run = run.run_id;
  error.holder_status = run.status;
  return error;
}

PoolError worktree_failed(const WorktreeError& failure) {
  auto error = make(Kind::State, failure.message, Cause::WorktreeFailed);
  error.story = failure.story;
  error.worktree = failure;
  return error;
}

}  // namespace stork::agents::pool_errors
