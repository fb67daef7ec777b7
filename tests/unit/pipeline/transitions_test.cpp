#include "pipeline/transitions.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

#include <gtest/gtest.h>

namespace stork::pipeline {
namespace {

// The legal moves, written out again independently of the table under test.
constexpr std::pair<Stage, Stage> kExpectedLegal[] = {
    {Stage::Backlog, Stage::Current}, {Stage::Current, Stage::Qa},
    {Stage::Current, Stage::Merge},   {Stage::Current, Stage::Backlog},
    {Stage::Qa, Stage::Merge},        {Stage::Qa, Stage::Current},
    {Stage::Qa, Stage::Backlog},      {Stage::Merge, Stage::Done},
    {Stage::Merge, Stage::Current},   {Stage::Merge, Stage::Backlog},
    {Stage::Done, Stage::Archived},
};

bool expected_legal(Stage from, Stage to) {
  return std::find(std::begin(kExpectedLegal), std::end(kExpectedLegal), std::pair(from, to)) !=
         std::end(kExpectedLegal);
}

TEST(Transitions, EveryListedMoveIsLegal) {
  for (const auto& [from, to] : kExpectedLegal) {
    auto result = check_move(from, to);
    ASSERT_TRUE(result.ok()) << stage_name(from) << " -> " << stage_name(to);
    EXPECT_EQ(*result, MoveOutcome::Moved);
  }
}

TEST(Transitions, EveryUnlistedMoveIsRefusedWithBothStages) {
  for (Stage from : kAllStages) {
    for (Stage to : kAllStages) {
      if (from == to || expected_legal(from, to)) continue;
      auto result = check_move(from, to);
      ASSERT_FALSE(result.ok()) << stage_name(from) << " -> " << stage_name(to);
      EXPECT_EQ(result.error().from, from);
      EXPECT_EQ(result.error().to, to);
    }
  }
}

TEST(Transitions, SameStageIsANoOpNotAnError) {
  for (Stage stage : kAllStages) {
    auto result = check_move(stage, stage);
    ASSERT_TRUE(result.ok()) << stage_name(stage);
    EXPECT_EQ(*result, MoveOutcome::Unchanged);
  }
}

TEST(Transitions, QaRejectionGoesBackToCurrent) {
  auto result = check_move(Stage::Qa, Stage::Current);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, MoveOutcome::Moved);
}

TEST(Transitions, DoneCannotReopen) {
  auto result = check_move(Stage::Done, Stage::Current);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().from, Stage::Done);
  EXPECT_EQ(result.error().to, Stage::Current);
}

TEST(Transitions, BacklogCannotSkipToQaOrMerge) {
  EXPECT_FALSE(check_move(Stage::Backlog, Stage::Qa).ok());
  EXPECT_FALSE(check_move(Stage::Backlog, Stage::Merge).ok());
  EXPECT_FALSE(check_move(Stage::Backlog, Stage::Done).ok());
}

TEST(Transitions, CurrentCannotSkipMergeToDone) {
  EXPECT_FALSE(check_move(Stage::Current, Stage::Done).ok());
}

TEST(Transitions, ArchivedIsFinal) {
  EXPECT_TRUE(legal_targets(Stage::Archived).empty());
  for (Stage to : kAllStages) {
    if (to != Stage::Archived) {
      EXPECT_FALSE(check_move(Stage::Archived, to).ok());
    }
  }
}

TEST(Transitions, LegalTargetsMatchTheTableInPipelineOrder) {
  for (Stage from : kAllStages) {
    std::vector<Stage> expected;
    for (Stage to : kAllStages) {
      if (expected_legal(from, to)) expected.push_back(to);
    }
    EXPECT_EQ(legal_targets(from), expected) << stage_name(from);
  }
}

TEST(Transitions, IllegalMoveMessageNamesStagesAndAllowedTargets) {
  std::string text = IllegalMove{Stage::Done, Stage::Current, "", {}}.message();
  EXPECT_NE(text.find("5_done"), std::string::npos) << text;
  EXPECT_NE(text.find("2_current"), std::string::npos) << text;
  EXPECT_NE(text.find("6_archived"), std::string::npos) << text;
}

TEST(Transitions, SpikeNeverReachesMergeAndLeavesQaForDone) {
  auto to_merge = check_item_move(ItemType::Spike, Stage::Qa, Stage::Merge);
  ASSERT_FALSE(to_merge.ok());
  EXPECT_NE(to_merge.error().message().find("spikes never merge"), std::string::npos);
  EXPECT_FALSE(check_item_move(ItemType::Spike, Stage::Current, Stage::Merge).ok());
  EXPECT_TRUE(check_item_move(ItemType::Spike, Stage::Qa, Stage::Done).ok());
  EXPECT_EQ(legal_targets(ItemType::Spike, Stage::Qa),
            (std::vector<Stage>{Stage::Backlog, Stage::Current, Stage::Done}));
  // Other types keep the table: a story in QA goes to merge, never straight to done.
  EXPECT_TRUE(check_item_move(ItemType::Story, Stage::Qa, Stage::Merge).ok());
  EXPECT_FALSE(check_item_move(ItemType::Story, Stage::Qa, Stage::Done).ok());
}

}  // namespace
}  // namespace stork::pipeline
