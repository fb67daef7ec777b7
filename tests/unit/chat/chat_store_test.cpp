// ChatStore on a real state.db: values per key, room flags, the taken command events, all
// surviving a reopen (what a restart of the bot sees).
#include "chat/chat_store.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork::chat {
namespace {

TEST(ChatStore, KeepsSincePositionRoomsAndTakenEventsAcrossReopen) {
  testing::TempDir dir;
  {
    auto store = ChatStore::open(dir.path());
    ASSERT_TRUE(store.ok()) << store.error();
    auto& db = *store.value();
    EXPECT_FALSE(db.value("matrix:@s:x:since").value());
    ASSERT_TRUE(db.set_value("matrix:@s:x:since", "s1").ok());
    ASSERT_TRUE(db.set_value("matrix:@s:x:since", "s2").ok());
    EXPECT_FALSE(db.handled("$1").value());
    ASSERT_TRUE(db.mark_handled("$1", 10).ok());
    ASSERT_TRUE(db.mark_handled("$1", 11).ok());  // twice is fine
    auto room = db.room("!a:x").value();
    EXPECT_FALSE(room.direct || room.ambient || room.refused_encrypted);
    room.ambient = true;
    room.direct = true;
    ASSERT_TRUE(db.save_room(room).ok());
  }
  auto store = ChatStore::open(dir.path());
  ASSERT_TRUE(store.ok()) << store.error();
  auto& db = *store.value();
  EXPECT_EQ(db.value("matrix:@s:x:since").value().value_or(""), "s2");
  EXPECT_TRUE(db.handled("$1").value());
  EXPECT_FALSE(db.handled("$2").value());
  EXPECT_TRUE(db.room("!a:x").value().direct);
  EXPECT_EQ(db.ambient_rooms().value(), std::vector<std::string>{"!a:x"});
}

}  // namespace
}  // namespace stork::chat
