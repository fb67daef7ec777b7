// NotificationStore on a real state.db: one notification per key with its outbox rows, the
// retry schedule, the read marks and the cursor, across reopen.
#include "state/notification_store.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork::state {
namespace {

std::unique_ptr<NotificationStore> open_store(const std::filesystem::path& root) {
  auto store = NotificationStore::open(root);
  EXPECT_TRUE(store.ok()) << store.error().message;
  return std::move(store).value();
}

NotificationRecord record(std::string key) {
  NotificationRecord r;
  r.key = std::move(key);
  r.time_ms = 100;
  r.event = "blocked";
  r.story = "7_story_a";
  r.title = "7_story_a is blocked";
  return r;
}

TEST(NotificationStore, SameKeyTwice_OneNotificationAndOneRowPerChannel) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto first = store->add(record("pipeline:1"), {"hook", "mail"}, 100, {{"pipeline", 1}});
  ASSERT_TRUE(first.ok() && first.value());
  auto again = store->add(record("pipeline:1"), {"hook", "mail"}, 200, {{"pipeline", 1}});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again.value());
  auto due = store->due(100);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due.value().size(), 2U);
  EXPECT_EQ(due.value()[0].channel, "hook");
  EXPECT_EQ(due.value()[0].notification.key, "pipeline:1");
  EXPECT_EQ(*store->cursor("pipeline").value(), 1);
}

TEST(NotificationStore, FailedRowWaitsForItsRetryAndSurvivesReopen) {
  testing::TempDir project;
  std::int64_t row = 0;
  {
    auto store = open_store(project.path());
    ASSERT_TRUE(store->add(record("k"), {"hook"}, 100).ok());
    row = store->due(100).value().at(0).id;
    ASSERT_TRUE(store->mark_failed(row, "HTTP 503", 5000).ok());
    EXPECT_TRUE(store->due(4999).value().empty());
    EXPECT_EQ(store->next_due().value(), 5000);
  }
  auto store = open_store(project.path());
  auto due = store->due(5000);
  ASSERT_EQ(due.value().size(), 1U);
  EXPECT_EQ(due.value()[0].attempts, 1);
  EXPECT_EQ(due.value()[0].last_error, "HTTP 503");
  ASSERT_TRUE(store->mark_sent(row, 5001).ok());
  EXPECT_TRUE(store->due(99999).value().empty());
  EXPECT_FALSE(store->next_due().value());
  EXPECT_EQ(store->pending_count().value(), 0);
}

TEST(NotificationStore, ReadMarksAndNewestFirstList) {
  testing::TempDir project;
  auto store = open_store(project.path());
  ASSERT_TRUE(store->add(record("a"), {}, 1).ok());
  ASSERT_TRUE(store->add(record("b"), {}, 2).ok());
  ASSERT_TRUE(store->add(record("c"), {}, 3).ok());
  auto listed = store->list(10, false).value();
  ASSERT_EQ(listed.size(), 3U);
  EXPECT_EQ(listed[0].key, "c");
  EXPECT_EQ(store->mark_read({listed[0].id, 9999}, 50).value(), 1);
  EXPECT_EQ(store->unread_count().value(), 2);
  EXPECT_EQ(store->list(10, true).value().size(), 2U);
  EXPECT_EQ(store->mark_read({}, 60).value(), 2);
  EXPECT_EQ(store->unread_count().value(), 0);
}

}  // namespace
}  // namespace stork::state
