#include "state/conversation_store.hpp"

#include <gtest/gtest.h>

#include "state/run_store.hpp"
#include "support/temp_dir.hpp"

namespace stork::state {
namespace {

TEST(ConversationStore, SavesLoadsAndReplacesBySessionId) {
  testing::TempDir dir;
  auto store = ConversationStore::open(dir.path());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto missing = store.value()->load("openai-1");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing.value().has_value());

  Conversation conversation{"openai-1", "1_story_a", "coder",
                            "openai",   "gpt-4o",    R"([{"role":"user","content":"hi"}])",
                            10};
  ASSERT_TRUE(store.value()->save(conversation).ok());
  conversation.messages = R"([{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}])";
  conversation.updated_at_ms = 20;
  ASSERT_TRUE(store.value()->save(conversation).ok());

  // Another connection (the next run) reads what the first wrote.
  auto other = ConversationStore::open(dir.path());
  ASSERT_TRUE(other.ok());
  auto loaded = other.value()->load("openai-1");
  ASSERT_TRUE(loaded.ok());
  ASSERT_TRUE(loaded.value().has_value());
  EXPECT_EQ(loaded.value()->messages, conversation.messages);
  EXPECT_EQ(loaded.value()->runtime, "openai");
  EXPECT_EQ(loaded.value()->story, "1_story_a");
  EXPECT_EQ(loaded.value()->updated_at_ms, 20);
}

TEST(ConversationStore, SharesTheStateDatabaseWithTheRunStore) {
  testing::TempDir dir;
  auto runs = StateStore::open(dir.path());
  ASSERT_TRUE(runs.ok());
  auto store = ConversationStore::open(dir.path());
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / ".storkit/state.db"));
  EXPECT_TRUE(store.value()->save({"gemini-1", "1_story_a", "coder", "gemini", "m", "[]", 1}).ok());
}

}  // namespace
}  // namespace stork::state
