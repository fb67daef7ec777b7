#include "pipeline/stage_rules.hpp"

#include <gtest/gtest.h>

#include "pipeline_test_support.hpp"

namespace stork::pipeline {
namespace {

using testing::agent;
using testing::roster;
using testing::story;

// storkit bug 312: a mergemaster started on a story that is still being coded.
TEST(StageRules, RejectsMergemasterOnCurrentItem) {
  auto result =
      check_attach("mergemaster", AgentStage::Mergemaster, story(310, "foo"), Stage::Current);
  ASSERT_FALSE(result.ok());
  const StageMismatch& error = result.error();
  EXPECT_EQ(error.agent, "mergemaster");
  EXPECT_EQ(error.agent_stage, AgentStage::Mergemaster);
  EXPECT_EQ(error.story, story(310, "foo"));
  EXPECT_EQ(error.item_stage, Stage::Current);
  EXPECT_EQ(error.required, AgentStage::Coder);
}

TEST(StageRules, RejectsCoderOnQaItem) {
  auto result = check_attach("coder-1", AgentStage::Coder, story(42, "bar"), Stage::Qa);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().agent_stage, AgentStage::Coder);
  EXPECT_EQ(result.error().item_stage, Stage::Qa);
  EXPECT_EQ(result.error().required, AgentStage::Qa);
}

TEST(StageRules, RejectsQaOnMergeItem) {
  auto result = check_attach("qa", AgentStage::Qa, story(55, "baz"), Stage::Merge);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().agent_stage, AgentStage::Qa);
  EXPECT_EQ(result.error().item_stage, Stage::Merge);
  EXPECT_EQ(result.error().required, AgentStage::Mergemaster);
}

TEST(StageRules, RejectsCoderOnMergeItem) {
  auto result = check_attach("coder-1", AgentStage::Coder, story(5), Stage::Merge);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().required, AgentStage::Mergemaster);
}

// bug 502: QA and mergemaster attach where the item is and never pull it out of the backlog.
TEST(StageRules, RejectsQaAndMergemasterOnBacklogItem) {
  for (AgentStage stage : {AgentStage::Qa, AgentStage::Mergemaster}) {
    auto result = check_attach("x", stage, story(5), Stage::Backlog);
    ASSERT_FALSE(result.ok()) << to_string(stage);
    EXPECT_EQ(result.error().required, AgentStage::Coder);
  }
}

TEST(StageRules, CoderOnCurrentItemAttachesInPlace) {
  auto result = check_attach("coder-1", AgentStage::Coder, story(5), Stage::Current);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, AttachAction::AttachInPlace);
}

TEST(StageRules, CoderOnBacklogItemMovesItToCurrentFirst) {
  auto result = check_attach("coder-1", AgentStage::Coder, story(5), Stage::Backlog);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, AttachAction::MoveToCurrentThenAttach);
}

TEST(StageRules, QaOnQaItemAttachesInPlace) {
  auto result = check_attach("qa", AgentStage::Qa, story(5), Stage::Qa);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, AttachAction::AttachInPlace);
}

TEST(StageRules, MergemasterOnMergeItemAttachesInPlace) {
  auto result = check_attach("mergemaster", AgentStage::Mergemaster, story(88, "ok"), Stage::Merge);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, AttachAction::AttachInPlace);
}

TEST(StageRules, OtherAttachesToEveryStageInPlace) {
  for (Stage stage : kAllStages) {
    auto result = check_attach("supervisor", AgentStage::Other, story(77, "sup"), stage);
    ASSERT_TRUE(result.ok()) << stage_name(stage);
    EXPECT_EQ(*result, AttachAction::AttachInPlace) << stage_name(stage);
  }
}

TEST(StageRules, NothingButOtherAttachesToDoneOrArchived) {
  for (Stage stage : {Stage::Done, Stage::Archived}) {
    for (AgentStage agent_stage : {AgentStage::Coder, AgentStage::Qa, AgentStage::Mergemaster}) {
      auto result = check_attach("x", agent_stage, story(9), stage);
      ASSERT_FALSE(result.ok()) << stage_name(stage) << " " << to_string(agent_stage);
      EXPECT_EQ(result.error().required, std::nullopt);
      EXPECT_EQ(result.error().item_stage, stage);
    }
  }
}

// The text storkit users know, from start_agent's stage check.
TEST(StageRules, MismatchMessageKeepsStorkitWording) {
  StageMismatch error{"mergemaster", AgentStage::Mergemaster, story(310, "foo"), Stage::Current,
                      AgentStage::Coder};
  EXPECT_EQ(error.message(),
            "Agent 'mergemaster' (stage: Mergemaster) cannot be assigned to story "
            "'310_story_foo' in 2_current/ (requires stage: Coder)");
}

TEST(StageRules, MismatchMessageOnFinishedItemNamesTheStage) {
  StageMismatch error{"coder-1", AgentStage::Coder, story(3), Stage::Done, std::nullopt};
  EXPECT_NE(error.message().find("5_done/"), std::string::npos);
  EXPECT_NE(error.message().find("coder-1"), std::string::npos);
}

TEST(StageRules, RequiredAgentStagePerItemStage) {
  EXPECT_EQ(required_agent_stage(Stage::Backlog), AgentStage::Coder);
  EXPECT_EQ(required_agent_stage(Stage::Current), AgentStage::Coder);
  EXPECT_EQ(required_agent_stage(Stage::Qa), AgentStage::Qa);
  EXPECT_EQ(required_agent_stage(Stage::Merge), AgentStage::Mergemaster);
  EXPECT_EQ(required_agent_stage(Stage::Done), std::nullopt);
  EXPECT_EQ(required_agent_stage(Stage::Archived), std::nullopt);
}

TEST(StageRules, WorkStagePerAgentStage) {
  EXPECT_EQ(work_stage_of(AgentStage::Coder), Stage::Current);
  EXPECT_EQ(work_stage_of(AgentStage::Qa), Stage::Qa);
  EXPECT_EQ(work_stage_of(AgentStage::Mergemaster), Stage::Merge);
  EXPECT_EQ(work_stage_of(AgentStage::Other), std::nullopt);
}

TEST(StageRules, AgentStageOfUsesConfiguredStage) {
  // A name that would infer Coder, configured as QA: the configuration wins.
  ProjectConfig config = roster({agent("coder-reviewer", AgentStage::Qa)});
  EXPECT_EQ(agent_stage_of(config, "coder-reviewer"), AgentStage::Qa);
}

TEST(StageRules, AgentStageOfInfersStageForNameNotInRoster) {
  ProjectConfig config = roster({});
  EXPECT_EQ(agent_stage_of(config, "coder-9"), AgentStage::Coder);
  EXPECT_EQ(agent_stage_of(config, "qa"), AgentStage::Qa);
  EXPECT_EQ(agent_stage_of(config, "mergemaster"), AgentStage::Mergemaster);
  EXPECT_EQ(agent_stage_of(config, "supervisor"), AgentStage::Other);
}

}  // namespace
}  // namespace stork::pipeline
