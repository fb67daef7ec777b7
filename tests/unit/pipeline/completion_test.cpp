#include "pipeline/completion.hpp"

#include <gtest/gtest.h>

namespace stork::pipeline {
namespace {

constexpr QaMode kAllModes[] = {QaMode::Server, QaMode::Agent, QaMode::Human};

TEST(EffectiveQaMode, ProjectDefaultWhenItemSaysNothing) {
  EffectiveQaMode qa = effective_qa_mode({}, QaMode::Agent);
  EXPECT_EQ(qa.mode, QaMode::Agent);
  EXPECT_EQ(qa.source, QaModeSource::ProjectDefault);
}

TEST(EffectiveQaMode, ManualQaMeansHuman) {
  EffectiveQaMode qa = effective_qa_mode({std::nullopt, true}, QaMode::Server);
  EXPECT_EQ(qa.mode, QaMode::Human);
  EXPECT_EQ(qa.source, QaModeSource::FrontMatterManualQa);
}

TEST(EffectiveQaMode, FrontMatterQaOverridesProjectDefault) {
  EffectiveQaMode qa = effective_qa_mode({QaMode::Server, false}, QaMode::Human);
  EXPECT_EQ(qa.mode, QaMode::Server);
  EXPECT_EQ(qa.source, QaModeSource::FrontMatterQa);
}

TEST(EffectiveQaMode, FrontMatterQaOverridesManualQa) {
  EffectiveQaMode qa = effective_qa_mode({QaMode::Agent, true}, QaMode::Server);
  EXPECT_EQ(qa.mode, QaMode::Agent);
  EXPECT_EQ(qa.source, QaModeSource::FrontMatterQa);
}

TEST(Completion, ServerModeGoesStraightToMerge) {
  CompletionDecision decision = decide_completion(ItemType::Story, {}, QaMode::Server);
  EXPECT_EQ(decision.target, Stage::Merge);
  EXPECT_FALSE(decision.set_review_hold);
  EXPECT_FALSE(decision.start_qa_agent);
  EXPECT_EQ(decision.reason, CompletionReason::ServerQa);
}

TEST(Completion, AgentModeGoesToQaAndStartsQaAgent) {
  CompletionDecision decision = decide_completion(ItemType::Story, {}, QaMode::Agent);
  EXPECT_EQ(decision.target, Stage::Qa);
  EXPECT_FALSE(decision.set_review_hold);
  EXPECT_TRUE(decision.start_qa_agent);
  EXPECT_EQ(decision.reason, CompletionReason::AgentQa);
}

TEST(Completion, HumanModeGoesToQaWithReviewHold) {
  CompletionDecision decision = decide_completion(ItemType::Story, {}, QaMode::Human);
  EXPECT_EQ(decision.target, Stage::Qa);
  EXPECT_TRUE(decision.set_review_hold);
  EXPECT_FALSE(decision.start_qa_agent);
  EXPECT_EQ(decision.reason, CompletionReason::HumanQa);
}

TEST(Completion, ItemQaModeOverridesProjectDefault) {
  CompletionDecision decision =
      decide_completion(ItemType::Story, {QaMode::Human, false}, QaMode::Server);
  EXPECT_EQ(decision.target, Stage::Qa);
  EXPECT_TRUE(decision.set_review_hold);
  EXPECT_EQ(decision.qa.source, QaModeSource::FrontMatterQa);
}

TEST(Completion, ManualQaHoldsAServerModeProject) {
  CompletionDecision decision =
      decide_completion(ItemType::Story, {std::nullopt, true}, QaMode::Server);
  EXPECT_EQ(decision.target, Stage::Qa);
  EXPECT_TRUE(decision.set_review_hold);
  EXPECT_EQ(decision.reason, CompletionReason::HumanQa);
}

TEST(Completion, SpikeAlwaysStopsForHuman) {
  for (QaMode mode : kAllModes) {
    CompletionDecision decision = decide_completion(ItemType::Spike, {}, mode);
    EXPECT_EQ(decision.target, Stage::Qa) << to_string(mode);
    EXPECT_TRUE(decision.set_review_hold) << to_string(mode);
    EXPECT_FALSE(decision.start_qa_agent) << to_string(mode);
    EXPECT_EQ(decision.reason, CompletionReason::SpikeNeedsHuman) << to_string(mode);
  }
}

TEST(Completion, SpikeNeverGoesToMergeEvenWithFrontMatterServerQa) {
  CompletionDecision decision =
      decide_completion(ItemType::Spike, {QaMode::Server, false}, QaMode::Server);
  EXPECT_NE(decision.target, Stage::Merge);
  EXPECT_EQ(decision.reason, CompletionReason::SpikeNeedsHuman);
  EXPECT_EQ(decision.qa.mode, QaMode::Server);  // the overridden mode is still reported
}

TEST(Completion, BugsAndRefactorsFollowTheQaModeLikeStories) {
  for (ItemType type : {ItemType::Bug, ItemType::Refactor}) {
    EXPECT_EQ(decide_completion(type, {}, QaMode::Server).target, Stage::Merge) << to_string(type);
    EXPECT_TRUE(decide_completion(type, {}, QaMode::Agent).start_qa_agent) << to_string(type);
    EXPECT_TRUE(decide_completion(type, {}, QaMode::Human).set_review_hold) << to_string(type);
  }
}

TEST(Completion, DescribeNamesModeSourceAndTarget) {
  std::string text =
      decide_completion(ItemType::Story, {std::nullopt, true}, QaMode::Server).describe();
  EXPECT_NE(text.find("human"), std::string::npos) << text;
  EXPECT_NE(text.find("manual_qa"), std::string::npos) << text;
  EXPECT_NE(text.find("3_qa"), std::string::npos) << text;
}

TEST(Completion, DescribeOfSpikeSaysWhyItStopped) {
  std::string text = decide_completion(ItemType::Spike, {}, QaMode::Server).describe();
  EXPECT_NE(text.find("spike"), std::string::npos) << text;
  EXPECT_NE(text.find("3_qa"), std::string::npos) << text;
}

}  // namespace
}  // namespace stork::pipeline
