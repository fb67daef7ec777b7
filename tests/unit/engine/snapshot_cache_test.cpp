// SnapshotCache: the reconciler's items are parsed again only when their file changed, and a
// read always answers what the files say now.
#include "engine/snapshot_cache.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork::engine {
namespace {

class Snapshots : public ::testing::Test {
 protected:
  Snapshots() {
    for (int n = 1; n <= 30; ++n)
      put(Stage::Backlog, std::to_string(n) + "_story_item.md", "---\nname: x\n---\n");
  }
  void put(Stage stage, const std::string& file, const std::string& text) {
    testing::write_text(store.stage_dir(stage) / file, text);
  }
  const pipeline::ItemSnapshot* find(const SnapshotCache::Read& read, long number) {
    for (const auto& item : read.items) {
      if (item.id.number == number) return &item;
    }
    return nullptr;
  }

  testing::TempDir dir;
  StageStore store{dir.path()};
  SnapshotCache cache{std::chrono::nanoseconds(0)};  // every stamp trusted at once
};

TEST_F(Snapshots, UnchangedFilesAreNotParsedAgain) {
  auto first = cache.read(store);
  EXPECT_EQ(first.items.size(), 30U);
  EXPECT_EQ(first.parsed, 30U);
  auto second = cache.read(store);
  EXPECT_EQ(second.items.size(), 30U);
  EXPECT_EQ(second.parsed, 0U);
}

TEST_F(Snapshots, AChangedMovedOrRemovedFileIsReadAgain) {
  (void)cache.read(store);
  // An atomic rewrite (a new inode), as every stork writer and most editors make it.
  const auto path = store.stage_dir(Stage::Backlog) / "4_story_item.md";
  testing::write_text(dir.path() / "tmp.md", "---\nname: x\nblocked: true\n---\n");
  std::filesystem::rename(dir.path() / "tmp.md", path);
  std::filesystem::create_directories(store.stage_dir(Stage::Qa));
  std::filesystem::rename(store.stage_dir(Stage::Backlog) / "5_story_item.md",
                          store.stage_dir(Stage::Qa) / "5_story_item.md");
  std::filesystem::remove(store.stage_dir(Stage::Backlog) / "6_story_item.md");
  auto read = cache.read(store);
  EXPECT_EQ(read.parsed, 2U);
  EXPECT_EQ(read.items.size(), 29U);
  ASSERT_NE(find(read, 4), nullptr);
  EXPECT_TRUE(find(read, 4)->blocked);
  ASSERT_NE(find(read, 5), nullptr);
  EXPECT_EQ(find(read, 5)->stage, Stage::Qa);
  EXPECT_EQ(find(read, 6), nullptr);
}

TEST_F(Snapshots, AFreshChangeIsNotTrustedToItsStamp) {
  // The server waits SnapshotCache::kSettled (2 s); an hour makes every file here fresh.
  SnapshotCache careful{std::chrono::hours(1)};  // every change counts as fresh
  (void)careful.read(store);
  EXPECT_EQ(careful.read(store).parsed, 30U);  // younger than an hour: parsed again
}

TEST_F(Snapshots, AFileThatDoesNotParseIsUnreadableNotGone) {
  put(Stage::Backlog, "7_story_item.md", "---\nname: [unclosed\n---\n");
  auto read = cache.read(store);
  EXPECT_EQ(find(read, 7), nullptr);
  EXPECT_TRUE(read.unreadable.contains("7_story_item"));
}

}  // namespace
}  // namespace stork::engine
