// Which pipeline and run events become notifications, with which keys.
#include "notify/notification_event.hpp"

#include <gtest/gtest.h>

namespace stork::notify {
namespace {

TEST(NotificationEvent, PipelineEventsThatNeedAPerson) {
  auto blocked = from_pipeline_event({12, 1000, "7_story_a", "blocked", R"({"reason":"gate"})"});
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->event, "blocked");
  EXPECT_EQ(blocked->key, "pipeline:12");
  EXPECT_EQ(blocked->detail, "gate");
  EXPECT_EQ(from_pipeline_event({13, 0, "7_story_a", "review_hold", "{}"})->event, "needs_review");
  EXPECT_EQ(from_pipeline_event({14, 0, "7_story_a", "merge_failed", "{}"})->event, "merge_failed");
  EXPECT_EQ(from_pipeline_event({15, 0, "7_story_a", "merged", "{}"})->event, "done");
  EXPECT_FALSE(from_pipeline_event({16, 0, "7_story_a", "moved", "{}"}));
  EXPECT_FALSE(from_pipeline_event({17, 0, "7_story_a", "blocked", "not json"})->title.empty());
}

TEST(NotificationEvent, FailedRunsAndRateLimitsOncePerRunAndLevel) {
  agents::AgentEvent failed{
      4, 9, 0, "7_story_a", "coder-1", "status", R"({"status":"failed","reason":"exit 2"})"};
  auto notification = from_agent_event(failed, true);
  ASSERT_TRUE(notification);
  EXPECT_EQ(notification->event, "agent_failed");
  EXPECT_EQ(notification->key, "run:4:failed");
  EXPECT_EQ(notification->detail, "exit 2");
  agents::AgentEvent running{4, 2, 0, "7_story_a", "coder-1", "status", R"({"status":"running"})"};
  EXPECT_FALSE(from_agent_event(running, true));
  agents::AgentEvent limit{4,
                           3,
                           0,
                           "7_story_a",
                           "coder-1",
                           "rate_limit",
                           R"({"level":"rejected","limit_type":"five_hour"})"};
  EXPECT_EQ(from_agent_event(limit, true)->key, "run:4:rate_limit:rejected");
  EXPECT_FALSE(from_agent_event(limit, false));  // rate_limit_notifications = false
  agents::AgentEvent allowed{
      4, 5, 0, "7_story_a", "coder-1", "rate_limit", R"({"level":"allowed"})"};
  EXPECT_FALSE(from_agent_event(allowed, true));
}

}  // namespace
}  // namespace stork::notify
