#include "pipeline/auto_assign.hpp"

#include <gtest/gtest.h>

#include "pipeline_test_support.hpp"

namespace stork::pipeline {
namespace {

using testing::agent;
using testing::item;
using testing::roster;
using testing::run;
using testing::standard_roster;
using testing::story;

// (story number, agent) of each assignment, in order: what most tests compare.
std::vector<std::pair<long, std::string>> pairs(const AutoAssignPlan& plan) {
  std::vector<std::pair<long, std::string>> out;
  for (const Assignment& a : plan.assignments)
    out.emplace_back(a.story.number, a.agent);
  return out;
}

const SkippedItem* skipped(const AutoAssignPlan& plan, long number) {
  for (const SkippedItem& s : plan.skipped) {
    if (s.story.number == number) return &s;
  }
  return nullptr;
}

using Pairs = std::vector<std::pair<long, std::string>>;

TEST(AutoAssign, AssignsFreeCoderToCurrentItem) {
  AutoAssignPlan plan = plan_auto_assign({item(story(1), Stage::Current)}, standard_roster(), {});
  ASSERT_EQ(plan.assignments.size(), 1u);
  const Assignment& a = plan.assignments[0];
  EXPECT_EQ(a.story, story(1));
  EXPECT_EQ(a.stage, Stage::Current);
  EXPECT_EQ(a.agent, "coder-1");
  EXPECT_EQ(a.agent_stage, AgentStage::Coder);
}

TEST(AutoAssign, MatchesEachStageWithItsAgents) {
  std::vector<ItemSnapshot> items = {item(story(3), Stage::Merge), item(story(2), Stage::Qa),
                                     item(story(1), Stage::Current)};
  AutoAssignPlan plan = plan_auto_assign(items, standard_roster(), {});
  ASSERT_EQ(pairs(plan), (Pairs{{1, "coder-1"}, {2, "qa"}, {3, "mergemaster"}}));
  EXPECT_EQ(plan.assignments[1].agent_stage, AgentStage::Qa);
  EXPECT_EQ(plan.assignments[2].agent_stage, AgentStage::Mergemaster);
}

TEST(AutoAssign, OldestItemFirst) {
  ProjectConfig config = roster({agent("coder-1", AgentStage::Coder)});
  std::vector<ItemSnapshot> items = {item(story(7), Stage::Current),
                                     item(story(3), Stage::Current)};
  AutoAssignPlan plan = plan_auto_assign(items, config, {});
  EXPECT_EQ(pairs(plan), (Pairs{{3, "coder-1"}}));
  ASSERT_NE(skipped(plan, 7), nullptr);
  EXPECT_EQ(skipped(plan, 7)->reason, SkipReason::AllAgentsBusy);
}

TEST(AutoAssign, IgnoresBacklogDoneAndArchivedItems) {
  std::vector<ItemSnapshot> items = {item(story(1), Stage::Backlog), item(story(2), Stage::Done),
                                     item(story(3), Stage::Archived)};
  AutoAssignPlan plan = plan_auto_assign(items, standard_roster(), {});
  EXPECT_TRUE(plan.assignments.empty());
  EXPECT_TRUE(plan.skipped.empty());
}

TEST(AutoAssign, SkipsBlockedItems) {
  ItemSnapshot blocked = item(story(1), Stage::Current);
  blocked.blocked = true;
  AutoAssignPlan plan =
      plan_auto_assign({blocked, item(story(2), Stage::Current)}, standard_roster(), {});
  EXPECT_EQ(pairs(plan), (Pairs{{2, "coder-1"}}));
  ASSERT_NE(skipped(plan, 1), nullptr);
  EXPECT_EQ(skipped(plan, 1)->reason, SkipReason::Blocked);
}

TEST(AutoAssign, SkipsReviewHoldItems) {
  ItemSnapshot held = item(story(1), Stage::Qa);
  held.review_hold = true;
  AutoAssignPlan plan = plan_auto_assign({held}, standard_roster(), {});
  EXPECT_TRUE(plan.assignments.empty());
  ASSERT_NE(skipped(plan, 1), nullptr);
  EXPECT_EQ(skipped(plan, 1)->reason, SkipReason::ReviewHold);
}

TEST(AutoAssign, SkipsMergeFailureItems) {
  ItemSnapshot failed = item(story(1), Stage::Merge);
  failed.merge_failure = true;
  AutoAssignPlan plan = plan_auto_assign({failed}, standard_roster(), {});
  EXPECT_TRUE(plan.assignments.empty());
  ASSERT_NE(skipped(plan, 1), nullptr);
  EXPECT_EQ(skipped(plan, 1)->reason, SkipReason::MergeFailure);
}

TEST(AutoAssign, SkipsItemWithActiveAgentAtThatStage) {
  AutoAssignPlan plan = plan_auto_assign({item(story(1), Stage::Current)}, standard_roster(),
                                         {run(story(1), "coder-2", RunStatus::Pending)});
  EXPECT_TRUE(plan.assignments.empty());
  ASSERT_NE(skipped(plan, 1), nullptr);
  EXPECT_EQ(skipped(plan, 1)->reason, SkipReason::AgentAlreadyActive);
  EXPECT_EQ(skipped(plan, 1)->agent, "coder-2");
}

// A coder still winding down on an item that has reached QA does not keep QA away.
TEST(AutoAssign, ActiveAgentOfAnotherStageDoesNotHoldTheItem) {
  Runs runs = {run(story(1), "coder-1"), run(story(1), "supervisor")};
  AutoAssignPlan plan = plan_auto_assign({item(story(1), Stage::Qa)}, standard_roster(), runs);
  EXPECT_EQ(pairs(plan), (Pairs{{1, "qa"}}));
}

TEST(AutoAssign, CompletedRunOnItemDoesNotHoldIt) {
  AutoAssignPlan plan = plan_auto_assign({item(story(1), Stage::Current)}, standard_roster(),
                                         {run(story(1), "coder-1", RunStatus::Failed)});
  EXPECT_EQ(pairs(plan), (Pairs{{1, "coder-1"}}));
}

TEST(AutoAssign, BusyAgentIsNotAssigned) {
  AutoAssignPlan plan = plan_auto_assign({item(story(2), Stage::Current)}, standard_roster(),
                                         {run(story(1), "coder-1")});
  EXPECT_EQ(pairs(plan), (Pairs{{2, "coder-2"}}));
}

TEST(AutoAssign, AgentGetsAtMostOneItemPerCall) {
  ProjectConfig config = roster({agent("coder-1", AgentStage::Coder)});
  std::vector<ItemSnapshot> items = {item(story(1), Stage::Current), item(story(2), Stage::Current),
                                     item(story(3), Stage::Current)};
  AutoAssignPlan plan = plan_auto_assign(items, config, {});
  EXPECT_EQ(pairs(plan), (Pairs{{1, "coder-1"}}));
  EXPECT_EQ(plan.skipped.size(), 2u);
}

TEST(AutoAssign, PreferredAgentTakesItemOverFirstFreeAgent) {
  ItemSnapshot preferring = item(story(1), Stage::Current);
  preferring.preferred_agent = "coder-2";
  AutoAssignPlan plan = plan_auto_assign({preferring}, standard_roster(), {});
  EXPECT_EQ(pairs(plan), (Pairs{{1, "coder-2"}}));
}

TEST(AutoAssign, PreferredAgentBusy_ItemWaitsWithoutFallback) {
  ItemSnapshot preferring = item(story(2), Stage::Current);
  preferring.preferred_agent = "coder-1";
  AutoAssignPlan plan =
      plan_auto_assign({preferring}, standard_roster(), {run(story(1), "coder-1")});
  EXPECT_TRUE(plan.assignments.empty());  // coder-2 is free but must not take it
  ASSERT_NE(skipped(plan, 2), nullptr);
  EXPECT_EQ(skipped(plan, 2)->reason, SkipReason::PreferredAgentBusy);
  EXPECT_EQ(skipped(plan, 2)->agent, "coder-1");
}

// The preferred agent taken by an older item earlier in the same pass is just as busy.
TEST(AutoAssign, PreferredAgentAssignedEarlierInPassMakesItemWait) {
  ItemSnapshot preferring = item(story(2), Stage::Current);
  preferring.preferred_agent = "coder-1";
  AutoAssignPlan plan =
      plan_auto_assign({item(story(1), Stage::Current), preferring}, standard_roster(), {});
  EXPECT_EQ(pairs(plan), (Pairs{{1, "coder-1"}}));
  ASSERT_NE(skipped(plan, 2), nullptr);
  EXPECT_EQ(skipped(plan, 2)->reason, SkipReason::PreferredAgentBusy);
}

// An item that names its coder reaches QA with that name still in its front matter.
TEST(AutoAssign, PreferenceForAgentOfAnotherStageFallsBack) {
  ItemSnapshot in_qa = item(story(1), Stage::Qa);
  in_qa.preferred_agent = "coder-1";
  AutoAssignPlan plan = plan_auto_assign({in_qa}, standard_roster(), {});
  EXPECT_EQ(pairs(plan), (Pairs{{1, "qa"}}));
}

TEST(AutoAssign, PreferenceForUnknownAgentFallsBack) {
  ItemSnapshot preferring = item(story(1), Stage::Current);
  preferring.preferred_agent = "opus";
  AutoAssignPlan plan = plan_auto_assign({preferring}, standard_roster(), {});
  EXPECT_EQ(pairs(plan), (Pairs{{1, "coder-1"}}));
}

TEST(AutoAssign, MaxCodersCapsRunningPlusNewCoders) {
  ProjectConfig config =
      roster({agent("coder-1", AgentStage::Coder), agent("coder-2", AgentStage::Coder),
              agent("coder-3", AgentStage::Coder)},
             /*max_coders=*/2);
  std::vector<ItemSnapshot> items = {item(story(2), Stage::Current),
                                     item(story(3), Stage::Current)};
  AutoAssignPlan plan = plan_auto_assign(items, config, {run(story(1), "coder-1")});
  EXPECT_EQ(pairs(plan), (Pairs{{2, "coder-2"}}));
  ASSERT_NE(skipped(plan, 3), nullptr);
  EXPECT_EQ(skipped(plan, 3)->reason, SkipReason::CoderLimitReached);
}

TEST(AutoAssign, PendingCodersCountTowardMaxCoders) {
  ProjectConfig config =
      roster({agent("coder-1", AgentStage::Coder), agent("coder-2", AgentStage::Coder)},
             /*max_coders=*/1);
  AutoAssignPlan plan = plan_auto_assign({item(story(2), Stage::Current)}, config,
                                         {run(story(1), "coder-1", RunStatus::Pending)});
  EXPECT_TRUE(plan.assignments.empty());
  ASSERT_NE(skipped(plan, 2), nullptr);
  EXPECT_EQ(skipped(plan, 2)->reason, SkipReason::CoderLimitReached);
}

TEST(AutoAssign, MaxCodersDoesNotLimitQaOrMerge) {
  ProjectConfig config = standard_roster(/*max_coders=*/1);
  std::vector<ItemSnapshot> items = {item(story(2), Stage::Qa), item(story(3), Stage::Merge)};
  AutoAssignPlan plan = plan_auto_assign(items, config, {run(story(1), "coder-1")});
  EXPECT_EQ(pairs(plan), (Pairs{{2, "qa"}, {3, "mergemaster"}}));
}

TEST(AutoAssign, NoAgentConfiguredForStageIsReported) {
  ProjectConfig config = roster({agent("coder-1", AgentStage::Coder)});
  AutoAssignPlan plan = plan_auto_assign({item(story(1), Stage::Merge)}, config, {});
  EXPECT_TRUE(plan.assignments.empty());
  ASSERT_NE(skipped(plan, 1), nullptr);
  EXPECT_EQ(skipped(plan, 1)->reason, SkipReason::NoAgentConfigured);
}

TEST(AutoAssign, OtherAgentsAreNeverAutoAssigned) {
  ProjectConfig config = roster({agent("supervisor", AgentStage::Other)});
  std::vector<ItemSnapshot> items = {item(story(1), Stage::Current), item(story(2), Stage::Qa),
                                     item(story(3), Stage::Merge)};
  AutoAssignPlan plan = plan_auto_assign(items, config, {});
  EXPECT_TRUE(plan.assignments.empty());
  EXPECT_EQ(plan.skipped.size(), 3u);
}

TEST(AutoAssign, SkipReasonsHaveText) {
  for (SkipReason reason :
       {SkipReason::Blocked, SkipReason::ReviewHold, SkipReason::MergeFailure,
        SkipReason::AgentAlreadyActive, SkipReason::PreferredAgentBusy, SkipReason::AllAgentsBusy,
        SkipReason::NoAgentConfigured, SkipReason::CoderLimitReached}) {
    EXPECT_FALSE(to_string(reason).empty());
  }
}

}  // namespace
}  // namespace stork::pipeline
