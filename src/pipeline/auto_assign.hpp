// Auto-assign: given a snapshot of the items, the roster and the runs, the (item, agent) pairs
// to start now: current → coders, qa → QA agents, merge → mergemasters, oldest item first.
// Pure: it plans; the pool starts the runs (each through its usual start checks). It runs at
// start-up and after every pipeline advance, so anything skipped now is looked at again later.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/project_config.hpp"
#include "pipeline/snapshot.hpp"
#include "work/stage.hpp"
#include "work/story_id.hpp"

namespace stork::pipeline {

struct Assignment {
  StoryId story;
  Stage stage = Stage::Current;  // where the item is
  std::string agent;
  AgentStage agent_stage = AgentStage::Coder;
};

// Why an item in current, qa or merge gets no agent this time.
enum class SkipReason {
  Blocked,             // retries exhausted; waits for `unblock`
  ReviewHold,          // waits for a person
  MergeFailure,        // waits for `unblock`
  AgentAlreadyActive,  // `agent` already works on it at this stage
  PreferredAgentBusy,  // front matter names `agent`, which is busy: no fallback
  AllAgentsBusy,
  NoAgentConfigured,  // the roster has no agent for this stage
  CoderLimitReached,  // max_coders coders are running or being started
};

std::string_view to_string(SkipReason reason);

struct SkippedItem {
  StoryId story;
  Stage stage = Stage::Current;
  SkipReason reason = SkipReason::AllAgentsBusy;
  std::string agent;  // the active or preferred agent, for the two reasons that have one
};

struct AutoAssignPlan {
  std::vector<Assignment> assignments;  // in the order to start them
  std::vector<SkippedItem> skipped;     // for logs and the board; never an error
};

// Items outside current, qa and merge are ignored. An agent gets at most one item, and active
// coders plus new coder assignments never exceed config.max_coders.
AutoAssignPlan plan_auto_assign(const std::vector<ItemSnapshot>& items, const ProjectConfig& config,
                                const Runs& runs);

}  // namespace stork::pipeline
