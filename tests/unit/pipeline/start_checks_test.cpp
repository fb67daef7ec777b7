#include "pipeline/start_checks.hpp"

#include <gtest/gtest.h>

#include "pipeline_test_support.hpp"

namespace stork::pipeline {
namespace {

using testing::agent;
using testing::roster;
using testing::run;
using testing::standard_roster;
using testing::story;

TEST(StartChecks, KnownAgentIsFound) {
  ProjectConfig config = standard_roster();
  auto result = find_configured_agent(config, "qa");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)->name, "qa");
}

TEST(StartChecks, UnknownAgentNameIsRefused) {
  ProjectConfig config = standard_roster();
  auto result = find_configured_agent(config, "opus");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().name, "opus");
}

TEST(StartChecks, FreeAgentOnIdleStoryMayStart) {
  ProjectConfig config = standard_roster();
  EXPECT_TRUE(check_start_conflicts(story(1), "coder-1", config, {}).ok());
}

// storkit story 230: two coders would corrupt each other's worktree.
TEST(StartChecks, RejectsSecondCoderOnSameStory) {
  ProjectConfig config = standard_roster();
  auto result = check_start_conflicts(story(42, "foo"), "coder-2", config,
                                      {run(story(42, "foo"), "coder-1")});
  ASSERT_FALSE(result.ok());
  const auto* conflict = std::get_if<SameStageConflict>(&result.error());
  ASSERT_NE(conflict, nullptr) << message(result.error());
  EXPECT_EQ(conflict->agent, "coder-2");
  EXPECT_EQ(conflict->active_agent, "coder-1");
  EXPECT_EQ(conflict->story, story(42, "foo"));
  EXPECT_EQ(conflict->stage, AgentStage::Coder);
}

TEST(StartChecks, RejectsSecondQaOnSameStory) {
  ProjectConfig config = roster({agent("qa-1", AgentStage::Qa), agent("qa-2", AgentStage::Qa)});
  auto result = check_start_conflicts(story(55), "qa-2", config, {run(story(55), "qa-1")});
  ASSERT_FALSE(result.ok());
  const auto* conflict = std::get_if<SameStageConflict>(&result.error());
  ASSERT_NE(conflict, nullptr) << message(result.error());
  EXPECT_EQ(conflict->stage, AgentStage::Qa);
  EXPECT_EQ(conflict->active_agent, "qa-1");
}

// A pending run holds its stage on the item just as a running one does.
TEST(StartChecks, PendingCoderBlocksSecondCoderOnSameStory) {
  ProjectConfig config = standard_roster();
  auto result = check_start_conflicts(story(42), "coder-2", config,
                                      {run(story(42), "coder-1", RunStatus::Pending)});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(std::holds_alternative<SameStageConflict>(result.error()));
}

// storkit's concurrent-start test, as the strand sees it: two starts on one item, one after the
// other; the first registers its run, so exactly the second is refused.
TEST(StartChecks, OfTwoCodersStartedOnOneStoryOnlyTheFirstStarts) {
  ProjectConfig config = standard_roster();
  Runs runs;
  auto first = check_start_conflicts(story(42), "coder-1", config, runs);
  ASSERT_TRUE(first.ok());
  runs.push_back(run(story(42), "coder-1", RunStatus::Pending));
  auto second = check_start_conflicts(story(42), "coder-2", config, runs);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(std::holds_alternative<SameStageConflict>(second.error()));
}

// storkit's concurrent start of one agent on two items (story 132), as the strand sees it.
TEST(StartChecks, OfOneAgentStartedOnTwoStoriesOnlyTheFirstStarts) {
  ProjectConfig config = standard_roster();
  Runs runs;
  ASSERT_TRUE(check_start_conflicts(story(86, "foo"), "coder-1", config, runs).ok());
  runs.push_back(run(story(86, "foo"), "coder-1", RunStatus::Pending));
  auto second = check_start_conflicts(story(130, "bar"), "coder-1", config, runs);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(std::holds_alternative<AgentBusyElsewhere>(second.error()));
}

TEST(StartChecks, AllowsTwoCodersOnDifferentStories) {
  ProjectConfig config = standard_roster();
  EXPECT_TRUE(
      check_start_conflicts(story(99, "baz"), "coder-2", config, {run(story(42), "coder-1")}).ok());
}

TEST(StartChecks, AgentsOfDifferentStagesShareAStory) {
  ProjectConfig config = standard_roster();
  EXPECT_TRUE(check_start_conflicts(story(7), "qa", config, {run(story(7), "coder-1")}).ok());
}

TEST(StartChecks, OtherStageIsExemptFromSameStageRule) {
  ProjectConfig config =
      roster({agent("supervisor", AgentStage::Other), agent("watcher", AgentStage::Other)});
  EXPECT_TRUE(
      check_start_conflicts(story(7), "watcher", config, {run(story(7), "supervisor")}).ok());
}

// storkit start_agent_explicit_name_unchanged_when_busy.
TEST(StartChecks, ExplicitNameBusyOnAnotherStoryIsRefused) {
  ProjectConfig config = standard_roster();
  auto result = check_start_conflicts(story(2), "coder-1", config, {run(story(1), "coder-1")});
  ASSERT_FALSE(result.ok());
  const auto* busy = std::get_if<AgentBusyElsewhere>(&result.error());
  ASSERT_NE(busy, nullptr) << message(result.error());
  EXPECT_EQ(busy->agent, "coder-1");
  EXPECT_EQ(busy->busy_on, story(1));
  EXPECT_EQ(busy->requested, story(2));
}

// storkit toctou_pending_entry_blocks_same_agent_on_different_story (story 132).
TEST(StartChecks, PendingRunBlocksSameAgentOnAnotherStory) {
  ProjectConfig config = standard_roster();
  auto result = check_start_conflicts(story(130, "bar"), "coder-1", config,
                                      {run(story(86, "foo"), "coder-1", RunStatus::Pending)});
  ASSERT_FALSE(result.ok());
  const auto* busy = std::get_if<AgentBusyElsewhere>(&result.error());
  ASSERT_NE(busy, nullptr);
  EXPECT_EQ(busy->busy_on, story(86, "foo"));
}

// One agent name runs one item at a time whatever its stage, Other included.
TEST(StartChecks, OtherAgentBusyOnAnotherStoryIsRefused) {
  ProjectConfig config = standard_roster();
  auto result =
      check_start_conflicts(story(2), "supervisor", config, {run(story(1), "supervisor")});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(std::holds_alternative<AgentBusyElsewhere>(result.error()));
}

// storkit start_agent_rejects_when_same_agent_already_running_on_another_story, with an agent
// whose stage is inferred from its name.
TEST(StartChecks, QaRunningOnAnotherStoryIsRefused) {
  ProjectConfig config = roster({agent("qa", AgentStage::Qa)});
  auto result = check_start_conflicts(story(2), "qa", config, {run(story(1), "qa")});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(std::holds_alternative<AgentBusyElsewhere>(result.error()));
}

// storkit start_agent_allows_new_story_when_previous_run_is_completed.
TEST(StartChecks, CompletedRunsDoNotCountAsBusy) {
  ProjectConfig config = standard_roster();
  Runs runs = {run(story(1), "qa", RunStatus::Completed),
               run(story(2), "coder-1", RunStatus::Failed),
               run(story(2), "coder-2", RunStatus::Completed)};
  EXPECT_TRUE(check_start_conflicts(story(2), "qa", config, runs).ok());
  EXPECT_TRUE(check_start_conflicts(story(2), "coder-1", config, runs).ok());
}

TEST(StartChecks, SameAgentAlreadyActiveOnSameStoryIsRefused) {
  ProjectConfig config = standard_roster();
  auto result = check_start_conflicts(story(3), "coder-1", config,
                                      {run(story(3), "coder-1", RunStatus::Pending)});
  ASSERT_FALSE(result.ok());
  const auto* already = std::get_if<AgentAlreadyOnStory>(&result.error());
  ASSERT_NE(already, nullptr) << message(result.error());
  EXPECT_EQ(already->agent, "coder-1");
  EXPECT_EQ(already->story, story(3));
  EXPECT_EQ(already->status, RunStatus::Pending);
}

TEST(StartChecks, SameAgentSameStoryWinsOverOtherConflicts) {
  ProjectConfig config = standard_roster();
  Runs runs = {run(story(3), "coder-2"), run(story(3), "coder-1")};
  auto result = check_start_conflicts(story(3), "coder-1", config, runs);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(std::holds_alternative<AgentAlreadyOnStory>(result.error()));
}

TEST(StartChecks, SameStageConflictWinsOverBusyElsewhere) {
  ProjectConfig config = standard_roster();
  Runs runs = {run(story(1), "coder-2"), run(story(3), "coder-1")};
  auto result = check_start_conflicts(story(3), "coder-2", config, runs);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(std::holds_alternative<SameStageConflict>(result.error()));
}

TEST(StartChecks, SameStageMessageNamesBothAgents) {
  std::string text =
      SameStageConflict{story(42, "foo"), "coder-2", "coder-1", AgentStage::Coder}.message();
  EXPECT_NE(text.find("coder-1"), std::string::npos) << text;
  EXPECT_NE(text.find("coder-2"), std::string::npos) << text;
  EXPECT_NE(text.find("same pipeline stage"), std::string::npos) << text;
}

TEST(StartChecks, BusyElsewhereMessageNamesBothStories) {
  std::string text = AgentBusyElsewhere{"coder-1", story(1, "a"), story(2, "b")}.message();
  EXPECT_NE(text.find("1_story_a"), std::string::npos) << text;
  EXPECT_NE(text.find("2_story_b"), std::string::npos) << text;
}

}  // namespace
}  // namespace stork::pipeline
