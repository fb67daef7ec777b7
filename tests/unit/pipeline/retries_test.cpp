#include "pipeline/retries.hpp"

#include <gtest/gtest.h>

namespace stork::pipeline {
namespace {

TEST(Retries, FirstFailureRetriesWithCountOne) {
  GateFailureDecision decision = decide_gate_failure(0, 2);
  EXPECT_EQ(decision.action, GateFailureAction::Retry);
  EXPECT_EQ(decision.retry_count, 1);
  EXPECT_EQ(decision.failed_attempts, 1);
}

TEST(Retries, SecondFailureRetriesWithCountTwo) {
  GateFailureDecision decision = decide_gate_failure(1, 2);
  EXPECT_EQ(decision.action, GateFailureAction::Retry);
  EXPECT_EQ(decision.retry_count, 2);
  EXPECT_EQ(decision.failed_attempts, 2);
}

// max_retries 2 = one attempt and two retries: the third failure blocks.
TEST(Retries, ThirdFailureBlocksWhenMaxRetriesIsTwo) {
  GateFailureDecision decision = decide_gate_failure(2, 2);
  EXPECT_EQ(decision.action, GateFailureAction::Block);
  EXPECT_EQ(decision.failed_attempts, 3);
  EXPECT_EQ(decision.max_retries, 2);
  EXPECT_EQ(decision.retry_count, 2);  // no retry happened, so the count is unchanged
}

TEST(Retries, MaxRetriesZeroBlocksOnFirstFailure) {
  GateFailureDecision decision = decide_gate_failure(0, 0);
  EXPECT_EQ(decision.action, GateFailureAction::Block);
  EXPECT_EQ(decision.failed_attempts, 1);
}

// The config's max_retries may be lowered while an item has retried more often than that.
TEST(Retries, CountAboveLimitBlocks) {
  GateFailureDecision decision = decide_gate_failure(5, 2);
  EXPECT_EQ(decision.action, GateFailureAction::Block);
  EXPECT_EQ(decision.failed_attempts, 6);
}

TEST(Retries, NegativeInputsCountAsZero) {
  GateFailureDecision retry = decide_gate_failure(-3, 1);
  EXPECT_EQ(retry.action, GateFailureAction::Retry);
  EXPECT_EQ(retry.retry_count, 1);
  GateFailureDecision block = decide_gate_failure(0, -1);
  EXPECT_EQ(block.action, GateFailureAction::Block);
  EXPECT_EQ(block.max_retries, 0);
}

TEST(Retries, BlockReasonSaysHowManyAttemptsFailed) {
  std::string reason = decide_gate_failure(2, 2).block_reason();
  EXPECT_NE(reason.find("3 of 3 failed"), std::string::npos) << reason;
  EXPECT_NE(reason.find("max_retries = 2"), std::string::npos) << reason;
}

}  // namespace
}  // namespace stork::pipeline
