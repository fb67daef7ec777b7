#include "pipeline/snapshot.hpp"

#include <gtest/gtest.h>

#include "pipeline_test_support.hpp"

namespace stork::pipeline {
namespace {

using testing::agent;
using testing::roster;
using testing::run;
using testing::standard_roster;
using testing::story;

TEST(Snapshot, PendingAndRunningAreActiveCompletedAndFailedAreNot) {
  EXPECT_TRUE(is_active(RunStatus::Pending));
  EXPECT_TRUE(is_active(RunStatus::Running));
  EXPECT_FALSE(is_active(RunStatus::Completed));
  EXPECT_FALSE(is_active(RunStatus::Failed));
}

TEST(Snapshot, BusyAgentsAreThoseWithActiveRuns) {
  Runs runs = {
      run(story(1), "coder-1", RunStatus::Running), run(story(2), "coder-2", RunStatus::Pending),
      run(story(3), "qa", RunStatus::Completed), run(story(4), "mergemaster", RunStatus::Failed)};
  EXPECT_EQ(busy_agents(runs), (BusyAgents{"coder-1", "coder-2"}));
}

TEST(Snapshot, ActiveRunOfFindsTheAgentsCurrentItem) {
  Runs runs = {run(story(1), "coder-1", RunStatus::Completed), run(story(2), "coder-1")};
  const RunSnapshot* found = active_run_of(runs, "coder-1");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->story, story(2));
  EXPECT_EQ(active_run_of(runs, "coder-2"), nullptr);
}

TEST(Snapshot, ActiveRunAtStageMatchesStoryAndConfiguredStage) {
  ProjectConfig config = standard_roster();
  Runs runs = {run(story(1), "qa"), run(story(2), "coder-1")};
  const RunSnapshot* found = active_run_at_stage(runs, config, story(2), AgentStage::Coder);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->agent_name, "coder-1");
  EXPECT_EQ(active_run_at_stage(runs, config, story(1), AgentStage::Coder), nullptr);
  EXPECT_EQ(active_run_at_stage(runs, config, story(2), AgentStage::Qa), nullptr);
}

TEST(Snapshot, ActiveRunAtStageLeavesOutTheExceptedAgent) {
  ProjectConfig config = standard_roster();
  Runs runs = {run(story(1), "coder-1")};
  EXPECT_EQ(active_run_at_stage(runs, config, story(1), AgentStage::Coder, "coder-1"), nullptr);
  EXPECT_NE(active_run_at_stage(runs, config, story(1), AgentStage::Coder, "coder-2"), nullptr);
}

// A run may outlive its agent's entry in the roster (config reloaded while it ran).
TEST(Snapshot, ActiveRunAtStageInfersStageOfAgentMissingFromRoster) {
  ProjectConfig config = roster({agent("qa", AgentStage::Qa)});
  Runs runs = {run(story(1), "coder-old")};
  EXPECT_NE(active_run_at_stage(runs, config, story(1), AgentStage::Coder), nullptr);
}

TEST(Snapshot, CountActiveAtStageCountsPendingAndRunningOnly) {
  ProjectConfig config = standard_roster();
  Runs runs = {run(story(1), "coder-1", RunStatus::Running),
               run(story(2), "coder-2", RunStatus::Pending),
               run(story(3), "coder-1", RunStatus::Completed), run(story(4), "qa")};
  EXPECT_EQ(count_active_at_stage(runs, config, AgentStage::Coder), 2);
  EXPECT_EQ(count_active_at_stage(runs, config, AgentStage::Qa), 1);
  EXPECT_EQ(count_active_at_stage(runs, config, AgentStage::Mergemaster), 0);
}

}  // namespace
}  // namespace stork::pipeline
