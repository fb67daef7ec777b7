#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace stork::state {
namespace {

TEST(InboxStore, TakeReturnsOnlyTheOwnersEntriesOldestFirstAndOnlyOnce) {
  testing::TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(
      store->add_inbox_entry({"1_story_a", "coder-1", "blocked", "blocked: gate", 10}).ok());
  ASSERT_TRUE(store->add_inbox_entry({"1_story_a", "coder-2", "message", "not yours", 11}).ok());
  ASSERT_TRUE(store->add_inbox_entry({"2_story_b", "coder-1", "message", "other item", 12}).ok());
  ASSERT_TRUE(store->add_inbox_entry({"1_story_a", "coder-1", "unblocked", "unblocked", 13}).ok());

  auto taken = store->take_inbox("1_story_a", "coder-1");
  ASSERT_TRUE(taken.ok()) << taken.error().message;
  ASSERT_EQ(taken->size(), 2u);
  EXPECT_EQ((*taken)[0].kind, "blocked");
  EXPECT_EQ((*taken)[0].text, "blocked: gate");
  EXPECT_EQ((*taken)[0].time_ms, 10);
  EXPECT_EQ((*taken)[1].kind, "unblocked");
  EXPECT_TRUE(store->take_inbox("1_story_a", "coder-1")->empty());
  EXPECT_EQ(store->take_inbox("1_story_a", "coder-2")->size(), 1u);
}

// Buffered entries are on disk: a store opened again (a restarted server) still has them.
TEST(InboxStore, EntriesSurviveReopeningTheDatabase) {
  testing::TempDir dir;
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->add_inbox_entry({"1_story_a", "coder-1", "message", "hello", 5}).ok());
  }
  auto reopened = open_store(dir.path());
  ASSERT_TRUE(reopened);
  auto taken = reopened->take_inbox("1_story_a", "coder-1");
  ASSERT_TRUE(taken.ok());
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ((*taken)[0].text, "hello");
}

}  // namespace
}  // namespace stork::state
