#include "state/project_chat_store.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork::state {
namespace {

TEST(ProjectChatStore, ConversationsAndMessagesSurviveReopeningTheDatabase) {
  testing::TempDir dir;
  std::int64_t id = 0;
  {
    auto store = ProjectChatStore::open(dir.path());
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto created = store.value()->create_conversation("planner", "Plan CSV", 100);
    ASSERT_TRUE(created.ok()) << created.error().message;
    id = created->id;
    auto first = store.value()->add_message(id, "Plan CSV export", 110);
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(store.value()->set_message_run(first->id, 7).ok());
    ASSERT_TRUE(store.value()->add_message(id, "and PDF?", 120).ok());
  }
  auto store = ProjectChatStore::open(dir.path());
  ASSERT_TRUE(store.ok());
  auto found = store.value()->conversation(id);
  ASSERT_TRUE(found.ok() && found.value());
  EXPECT_EQ(found.value()->agent, "planner");
  EXPECT_EQ(found.value()->updated_at_ms, 120);  // the last message made it active
  auto messages = store.value()->messages(id);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 2U);
  EXPECT_EQ((*messages)[0].text, "Plan CSV export");
  EXPECT_EQ((*messages)[0].run_id, 7);
  EXPECT_FALSE((*messages)[1].run_id.has_value());
}

TEST(ProjectChatStore, UnknownConversationIsNoneAndListIsMostRecentlyActiveFirst) {
  testing::TempDir dir;
  auto store = ProjectChatStore::open(dir.path());
  ASSERT_TRUE(store.ok());
  auto missing = store.value()->conversation(42);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing.value().has_value());
  auto older = store.value()->create_conversation("planner", "older", 10);
  auto newer = store.value()->create_conversation("planner", "newer", 20);
  ASSERT_TRUE(older.ok() && newer.ok());
  ASSERT_TRUE(store.value()->add_message(older->id, "bump", 30).ok());
  auto list = store.value()->conversations(10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2U);
  EXPECT_EQ((*list)[0].title, "older");
  EXPECT_EQ((*list)[1].title, "newer");
}

TEST(ProjectChatStore, ChatStoriesAreNeverItemIds) {
  EXPECT_EQ(chat_story(3), "chat-3");
  EXPECT_TRUE(is_chat_story("chat-3"));
  EXPECT_FALSE(is_chat_story("3_story_chat"));
}

}  // namespace
}  // namespace stork::state
