// OutboundBudget's rule and a WsClient's accounting in it (docs/serve.md, "Slow clients").
#include "http/outbound_budget.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/response.hpp"
#include "http/ws_client_access.hpp"

namespace stork::http {
namespace {

TEST(OutboundBudget, PastTheLimitOnlyAClientUnderItsFairShareMayQueue) {
  OutboundBudget budget(/*limit_bytes=*/1000, /*max_connections=*/10);
  ASSERT_TRUE(budget.admit());
  ASSERT_TRUE(budget.admit());             // two connections: a share is 500 bytes
  EXPECT_TRUE(budget.reserve(900, 0));     // under the limit: anyone
  EXPECT_FALSE(budget.reserve(200, 900));  // over the limit and over its share
  EXPECT_TRUE(budget.reserve(200, 0));     // over the limit but under its share
  EXPECT_EQ(budget.in_use(), 1100u);
  budget.release(1100);
  EXPECT_EQ(budget.in_use(), 0u);
  EXPECT_TRUE(budget.reserve(200, 900));  // under the limit again
}

TEST(OutboundBudget, AdmitsUpToMaxConnections) {
  OutboundBudget budget(1000, 2);
  EXPECT_TRUE(budget.admit());
  EXPECT_TRUE(budget.admit());
  EXPECT_FALSE(budget.admit());
  EXPECT_EQ(budget.connections(), 2u);
  budget.leave();
  EXPECT_TRUE(budget.admit());
}

TEST(OutboundBudget, AResponseOverItsShareBecomesA503AndAHeldBodyIsReleased) {
  OutboundBudget budget(100, 10);
  ASSERT_TRUE(budget.admit());
  ASSERT_TRUE(budget.admit());
  {
    Response small = Response::json(200, std::string(80, 'x'));
    std::optional<BudgetHold> hold;
    hold_response_body(budget, small, "127.0.0.1:1", hold);
    EXPECT_EQ(small.status, 200u);
    EXPECT_EQ(budget.in_use(), 80u);
    Response big = Response::json(200, std::string(60, 'y'));  // 140 > 100, 60 > 50
    std::optional<BudgetHold> refused;
    hold_response_body(budget, big, "127.0.0.1:2", refused);
    EXPECT_EQ(big.status, 503u);
    EXPECT_THAT(big.body, ::testing::HasSubstr("server_busy"));
    EXPECT_FALSE(refused.has_value());
  }
  EXPECT_EQ(budget.in_use(), 0u);  // the hold went with its scope
}

TEST(OutboundBudget, AWsClientRefusedIsDroppedAndEverythingItHeldIsReleased) {
  auto budget = std::make_shared<OutboundBudget>(100, 10);
  ASSERT_TRUE(budget->admit());
  ASSERT_TRUE(budget->admit());
  auto client = detail::WsClientAccess::create(1, Request{}, 1000, 1000, budget);
  EXPECT_TRUE(client->send(std::string(40, 'a')));
  auto work = detail::WsClientAccess::take(*client);  // being written: still held
  ASSERT_EQ(work.messages.size(), 1u);
  EXPECT_TRUE(client->send(std::string(40, 'b')));
  EXPECT_EQ(budget->in_use(), 80u);
  EXPECT_FALSE(client->send(std::string(40, 'c')));  // 120 > 100 and 120 > 50: dropped
  EXPECT_TRUE(detail::WsClientAccess::take_drop(*client));
  EXPECT_FALSE(detail::WsClientAccess::take_drop(*client));  // once
  EXPECT_EQ(budget->in_use(), 40u);  // the queue went; the message being written is held
  EXPECT_FALSE(client->send("d"));   // refused from now on
  detail::WsClientAccess::mark_closed(*client);
  EXPECT_EQ(budget->in_use(), 0u);
  detail::WsClientAccess::written(*client, 40);  // the writer's late report changes nothing
  EXPECT_EQ(budget->in_use(), 0u);
}

TEST(OutboundBudget, AWrittenMessageLeavesTheBudget) {
  auto budget = std::make_shared<OutboundBudget>(100, 10);
  auto client = detail::WsClientAccess::create(1, Request{}, 1000, 1000, budget);
  EXPECT_TRUE(client->send("hello"));
  EXPECT_EQ(budget->in_use(), 5u);
  auto work = detail::WsClientAccess::take(*client);
  detail::WsClientAccess::written(*client, work.messages.front().size());
  EXPECT_EQ(budget->in_use(), 0u);
}

}  // namespace
}  // namespace stork::http
