// StageStore with an ItemIndex attached (as in a running server): lookups of known items do
// not scan the work directory, and every answer is the one a scan would give, whatever was
// done to the files by hand since the index was filled.
#include "work/item_index.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "work/stage_store.hpp"

namespace stork {
namespace {

class IndexedStore : public ::testing::Test {
 protected:
  IndexedStore() {
    for (int n = 1; n <= 50; ++n)
      put(Stage::Backlog, std::to_string(n) + "_story_item.md");
    (void)store.scan();  // fills the index, as the server's first read does
  }
  void put(Stage stage, const std::string& file) {
    testing::write_text(store.stage_dir(stage) / file, "---\nname: x\n---\n\n- [ ] one\n");
  }
  std::filesystem::path at(Stage stage, const std::string& file) const {
    return store.stage_dir(stage) / file;
  }

  testing::TempDir dir;
  std::shared_ptr<ItemIndex> index = ItemIndex::attach(dir.path());
  StageStore store{dir.path()};
};

TEST_F(IndexedStore, AnotherStoreOfTheSameRootSharesTheIndex) {
  EXPECT_EQ(ItemIndex::find(dir.path()), index);
  EXPECT_EQ(ItemIndex::find(dir.path() / ""), index);
  EXPECT_EQ(ItemIndex::find(dir.path() / "elsewhere"), nullptr);
}

TEST_F(IndexedStore, KnownItemsAreFoundWithoutAScan) {
  const auto scans = index->scans();
  StageStore other(dir.path());  // the operations layer builds its own: same index
  for (int round = 0; round < 20; ++round) {
    ASSERT_TRUE(other.locate("17").ok());
    ASSERT_TRUE(other.load("42_story_item").ok());
  }
  EXPECT_EQ(index->scans(), scans);
}

TEST_F(IndexedStore, WritesOfTheStoreKeepTheIndexCurrent) {
  ASSERT_TRUE(store.move("7", Stage::Qa).ok());
  NewItem item;
  item.name = "Fresh";
  auto created = store.create(item);
  ASSERT_TRUE(created.ok());
  const auto scans = index->scans();
  auto moved = store.locate("7");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->stage, Stage::Qa);
  EXPECT_TRUE(store.locate(created->id.str()).ok());
  EXPECT_EQ(index->scans(), scans);
}

TEST_F(IndexedStore, AMoveByHandIsFollowed) {
  std::filesystem::create_directories(store.stage_dir(Stage::Current));
  std::filesystem::rename(at(Stage::Backlog, "9_story_item.md"),
                          at(Stage::Current, "9_story_item.md"));
  auto found = store.locate("9");
  ASSERT_TRUE(found.ok()) << found.error().render();
  EXPECT_EQ(found->stage, Stage::Current);
  EXPECT_EQ(found->path, at(Stage::Current, "9_story_item.md"));
}

TEST_F(IndexedStore, ACopyInASecondStageIsAmbiguousAsAScanSaysIt) {
  std::filesystem::create_directories(store.stage_dir(Stage::Done));
  std::filesystem::copy_file(at(Stage::Backlog, "9_story_item.md"),
                             at(Stage::Done, "9_story_item.md"));
  auto found = store.locate("9");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().kind, WorkErrorKind::Ambiguous);
}

TEST_F(IndexedStore, ARemovedOrRenamedFileIsNotFoundOrFoundUnderItsNewName) {
  std::filesystem::remove(at(Stage::Backlog, "3_story_item.md"));
  EXPECT_EQ(store.locate("3").error().kind, WorkErrorKind::NotFound);
  std::filesystem::rename(at(Stage::Backlog, "4_story_item.md"),
                          at(Stage::Backlog, "4_story_renamed.md"));
  EXPECT_EQ(store.locate("4_story_item").error().kind, WorkErrorKind::NotFound);
  auto renamed = store.locate("4");
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->id.str(), "4_story_renamed");
}

TEST_F(IndexedStore, AFileMadeByHandAfterTheScanIsFound) {
  put(Stage::Backlog, "99_bug_new.md");
  auto found = store.load("99");
  ASSERT_TRUE(found.ok()) << found.error().render();
  EXPECT_EQ(found->id.str(), "99_bug_new");
}

TEST_F(IndexedStore, AnIndexedFileReplacedByASymlinkIsRefusedAsWithoutTheIndex) {
  const auto path = at(Stage::Backlog, "5_story_item.md");
  std::filesystem::remove(path);
  testing::write_text(dir.path() / "secret.txt", "---\nname: secret\n---\n");
  std::filesystem::create_symlink(dir.path() / "secret.txt", path);
  auto indexed = store.load("5");
  ASSERT_FALSE(indexed.ok());
  // The same answer a store without the index gives (a scan lists no symlink as an item).
  index.reset();
  StageStore plain(dir.path());
  auto scanned = plain.load("5");
  ASSERT_FALSE(scanned.ok());
  EXPECT_EQ(indexed.error().kind, scanned.error().kind);
  EXPECT_EQ(indexed.error().message, scanned.error().message);
}

TEST_F(IndexedStore, ASecondSlugForANumberIsAmbiguousFromTheNextScanOn) {
  put(Stage::Qa, "12_story_other.md");
  (void)store.load_all();  // what the watcher's re-read does after the change settles
  auto found = store.locate("12");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().kind, WorkErrorKind::Ambiguous);
}

TEST(ItemIndexRegistry, NothingAttachedMeansNoIndex) {
  testing::TempDir dir;
  EXPECT_EQ(ItemIndex::find(dir.path()), nullptr);
  {
    auto index = ItemIndex::attach(dir.path());
    EXPECT_EQ(ItemIndex::find(dir.path()), index);
  }
  EXPECT_EQ(ItemIndex::find(dir.path()), nullptr);  // the server part that held it is gone
}

}  // namespace
}  // namespace stork
