// The API runs' retry policy on its own: every kind of answer, the backoff, the throttle limit.
#include "agents/api/retry_policy.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stork::agents::api {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;
using Kind = Verdict::Kind;

constexpr std::int64_t kNow = 1'700'000'000;

class RetryPolicy : public ::testing::Test {
 protected:
  RetryPolicy() : protocol_(make_openai_protocol()) {
    options_.max_retries = 2;
    options_.initial_backoff = 100ms;
    options_.max_backoff = 300ms;
    options_.max_throttle_wait = 10s;
  }
  Verdict judge(const HttpResponse& response) {
    return judge_answer(response, *protocol_, options_, counts_, kNow, "MY_KEY");
  }
  static HttpResponse answer(long status, std::string body = "") {
    HttpResponse response;
    response.status = status;
    response.error_body = std::move(body);
    return response;
  }
  static HttpResponse rate_limited(std::optional<int> retry_after_s) {
    auto response = answer(429, R"({"error":{"message":"slow down"}})");
    if (retry_after_s) response.headers.emplace_back("retry-after", std::to_string(*retry_after_s));
    return response;
  }

  std::unique_ptr<ModelProtocol> protocol_;
  ApiRunOptions options_;
  RetryCounts counts_;
};

TEST_F(RetryPolicy, SuccessIsAccepted) {
  EXPECT_EQ(judge(answer(200)).kind, Kind::Accept);
  EXPECT_EQ(counts_.failures, 0);
}

TEST_F(RetryPolicy, ServerErrorsRetryWithDoublingBackoffThenFailCountingAttempts) {
  auto first = judge(answer(503, R"({"error":{"message":"overloaded"}})"));
  EXPECT_EQ(first.kind, Kind::Retry);
  EXPECT_EQ(first.delay, 100ms);
  EXPECT_THAT(first.reason, HasSubstr("overloaded"));
  EXPECT_EQ(judge(answer(500)).delay, 200ms);
  auto last = judge(answer(500));
  EXPECT_EQ(last.kind, Kind::Fail);
  EXPECT_THAT(last.reason, HasSubstr("3 times (2 retries)"));
}

TEST_F(RetryPolicy, BackoffIsCappedAtTheMaximum) {
  options_.max_retries = 10;
  std::chrono::milliseconds last{0};
  for (int i = 0; i < 5; ++i)
    last = judge(answer(502)).delay;
  EXPECT_EQ(last, 300ms);
}

TEST_F(RetryPolicy, DroppedConnectionIsRetried) {
  HttpResponse dropped;
  dropped.transport_error = "Connection reset by peer";
  auto verdict = judge(dropped);
  EXPECT_EQ(verdict.kind, Kind::Retry);
  EXPECT_THAT(verdict.reason, HasSubstr("Connection reset by peer"));
}

TEST_F(RetryPolicy, UnauthorizedFailsNamingTheKeyVariable) {
  auto verdict = judge(answer(401, R"({"error":{"message":"bad key"}})"));
  EXPECT_EQ(verdict.kind, Kind::Fail);
  EXPECT_THAT(verdict.reason, HasSubstr("MY_KEY"));
  EXPECT_THAT(verdict.reason, HasSubstr("bad key"));
}

TEST_F(RetryPolicy, OtherClientErrorsFailWithTheApiMessage) {
  auto verdict = judge(answer(400, R"({"error":{"message":"context too long"}})"));
  EXPECT_EQ(verdict.kind, Kind::Fail);
  EXPECT_THAT(verdict.reason, HasSubstr("context too long"));
}

TEST_F(RetryPolicy, NearResetIsThrottledUntilItAndLaterOnesBlock) {
  auto near = judge(rate_limited(3));
  EXPECT_EQ(near.kind, Kind::Throttle);
  EXPECT_EQ(near.delay, 3000ms);
  ASSERT_TRUE(near.limit.has_value());
  EXPECT_EQ(near.limit->message, "slow down");
  EXPECT_EQ(near.limit->reset.resets_at_unix_s, kNow + 3);
  auto late = judge(rate_limited(3600));
  EXPECT_EQ(late.kind, Kind::Block);
  ASSERT_TRUE(late.limit.has_value());
  EXPECT_EQ(late.limit->reset.resets_at_unix_s, kNow + 3600);
}

TEST_F(RetryPolicy, AServerThatKeepsSayingOneSecondEndsBlocked) {
  for (int i = 0; i < kMaxThrottleWaits; ++i)
    ASSERT_EQ(judge(rate_limited(1)).kind, Kind::Throttle) << i;
  EXPECT_EQ(judge(rate_limited(1)).kind, Kind::Block);
}

TEST_F(RetryPolicy, UnknownResetBacksOffWhileRetriesLastThenBlocks) {
  auto first = judge(rate_limited(std::nullopt));
  EXPECT_EQ(first.kind, Kind::Throttle);
  EXPECT_EQ(first.delay, 100ms);
  EXPECT_EQ(judge(rate_limited(std::nullopt)).kind, Kind::Throttle);
  EXPECT_EQ(judge(rate_limited(std::nullopt)).kind, Kind::Block);
}

TEST_F(RetryPolicy, NoQuotaFails) {
  auto verdict = judge(answer(429, R"({"error":{"message":"quota","code":"insufficient_quota"}})"));
  EXPECT_EQ(verdict.kind, Kind::Fail);
  EXPECT_THAT(verdict.reason, HasSubstr("no quota"));
}

TEST_F(RetryPolicy, StreamsWithAnErrorOrCutShortAreRetried) {
  ModelTurn turn;
  turn.complete = true;
  EXPECT_EQ(judge_turn(turn, options_, counts_).kind, Kind::Accept);
  turn.error = "overloaded_error";
  auto errored = judge_turn(turn, options_, counts_);
  EXPECT_EQ(errored.kind, Kind::Retry);
  EXPECT_THAT(errored.reason, HasSubstr("overloaded_error"));
  turn.error.reset();
  turn.complete = false;
  auto cut = judge_turn(turn, options_, counts_);
  EXPECT_EQ(cut.kind, Kind::Retry);
  EXPECT_THAT(cut.reason, HasSubstr("ended before"));
  EXPECT_EQ(counts_.failures, 2);
}

}  // namespace
}  // namespace stork::agents::api
