// SnapshotCache: the reconciler's items are parsed again only when their file changed, a read
// always answers what the files say now, and a read of the named changes answers what a full
// read would.
#include "engine/snapshot_cache.hpp"

#include <thread>

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

// What a reconcile sees of a read, comparable between two reads.
std::vector<std::string> seen(const SnapshotCache::Read& read) {
  std::vector<std::string> lines;
  for (const auto& item : read.items) {
    lines.push_back(item.id.str() + " " + std::string(stage_name(item.stage)) +
                    (item.blocked ? " blocked" : "") +
                    " agent=" + item.preferred_agent.value_or(""));
  }
  for (const auto& stem : read.unreadable)
    lines.push_back("unreadable " + stem);
  return lines;
}

TEST_F(Snapshots, ANamedChangeIsReadAloneAndAnswersWhatAFullReadWould) {
  (void)cache.read(store);
  const auto backlog = store.stage_dir(Stage::Backlog);
  const auto qa = store.stage_dir(Stage::Qa);
  std::filesystem::create_directories(qa);
  std::set<std::string> named;
  auto change = [&](const std::string& name) { named.insert(name); };
  // A rewrite, a move, a removal, a new item, a file that stops parsing.
  put(Stage::Backlog, "4_story_item.md", "---\nname: x\nblocked: true\nagent: coder-2\n---\n");
  change("4_story_item.md");
  std::filesystem::rename(backlog / "5_story_item.md", qa / "5_story_item.md");
  change("5_story_item.md");
  std::filesystem::remove(backlog / "6_story_item.md");
  change("6_story_item.md");
  put(Stage::Qa, "31_bug_new.md", "---\nname: y\n---\n");
  change("31_bug_new.md");
  put(Stage::Backlog, "7_story_item.md", "---\nname: [unclosed\n---\n");
  change("7_story_item.md");
  // Made by hand: a second file of number 8, a name that is no id, a symlink for an item.
  put(Stage::Qa, "8_story_other.md", "---\nname: z\n---\n");
  change("8_story_other.md");
  put(Stage::Backlog, "notes.md", "hello\n");
  change("notes.md");
  std::filesystem::remove(backlog / "9_story_item.md");
  std::filesystem::create_symlink(backlog / "10_story_item.md", backlog / "9_story_item.md");
  change("9_story_item.md");

  auto changed = cache.read_changed(store, named);
  EXPECT_EQ(changed.parsed, 5U);  // 4, 5, 31, 7 and 8_other: nothing else is read again
  SnapshotCache fresh{std::chrono::nanoseconds(0)};
  auto full = fresh.read(store);
  EXPECT_EQ(seen(changed), seen(full));
  EXPECT_TRUE(changed.unreadable.contains("7_story_item"));
  EXPECT_TRUE(changed.unreadable.contains("8_story_other"));
  EXPECT_TRUE(changed.unreadable.contains("9_story_item"));
  EXPECT_TRUE(changed.unreadable.contains("notes"));

  // Undoing the hand-made files is seen the same way.
  std::filesystem::remove(qa / "8_story_other.md");
  std::filesystem::remove(backlog / "notes.md");
  std::filesystem::remove(backlog / "9_story_item.md");
  put(Stage::Backlog, "9_story_item.md", "---\nname: x\n---\n");
  auto undone = cache.read_changed(store, {"8_story_other.md", "notes.md", "9_story_item.md"});
  SnapshotCache again{std::chrono::nanoseconds(0)};
  EXPECT_EQ(seen(undone), seen(again.read(store)));
  EXPECT_FALSE(undone.unreadable.contains("8_story_other"));
  EXPECT_FALSE(undone.unreadable.contains("9_story_item"));
}

TEST_F(Snapshots, AChangeNobodyNamedIsSeenByTheNextFullRead) {
  (void)cache.read(store);
  put(Stage::Backlog, "12_story_item.md", "---\nname: x\nblocked: true\n---\n");
  EXPECT_FALSE(find(cache.read_changed(store, {}), 12)->blocked);  // trusted, as documented
  EXPECT_TRUE(find(cache.read(store), 12)->blocked);
}

TEST_F(Snapshots, TheFirstReadOfNamedChangesReadsEverything) {
  auto read = cache.read_changed(store, {"1_story_item.md"});
  EXPECT_TRUE(cache.primed());
  EXPECT_EQ(read.items.size(), 30U);
  EXPECT_EQ(read.parsed, 30U);
}

TEST_F(Snapshots, AFileParsedWhileFreshIsNotTrustedToItsStampLater) {
  // Git's racily clean rule: a file parsed within the settle time of its last change may have
  // been changed again in the same clock tick with the same size, an equal stamp; so its
  // stamp is not kept, and it is parsed again once settled, not trusted.
  SnapshotCache careful{std::chrono::milliseconds(300)};
  EXPECT_EQ(careful.read(store).parsed, 30U);  // every file was written just now
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(careful.read(store).parsed, 30U);  // settled now, but parsed when fresh
  EXPECT_EQ(careful.read(store).parsed, 0U);   // parsed when settled: trusted
}

TEST_F(Snapshots, FinishedItemsAreLeftOutUnlessAnOpenItemDependsOnThemAndFindHasThemAll) {
  for (int n = 31; n <= 40; ++n)
    put(Stage::Done, std::to_string(n) + "_story_old.md", "---\nname: x\n---\n");
  put(Stage::Archived, "41_story_older.md", "---\nname: x\n---\n");
  put(Stage::Backlog, "1_story_item.md",
      "---\nname: x\ndepends_on: [\" 35\", 41_story_older]\n---\n");
  auto read = cache.read(store);
  EXPECT_EQ(read.items.size(), 32U);  // the 30 open ones, 35 and 41
  ASSERT_NE(find(read, 35), nullptr);
  EXPECT_EQ(find(read, 35)->stage, Stage::Done);
  ASSERT_NE(find(read, 41), nullptr);
  EXPECT_EQ(find(read, 34), nullptr);
  for (std::size_t i = 1; i < read.items.size(); ++i)
    EXPECT_LT(read.items[i - 1].id.number, read.items[i].id.number);  // still in number order
  const auto* old = cache.find(StoryId{34, ItemType::Story, "old"});
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->stage, Stage::Done);
  EXPECT_EQ(cache.find(StoryId{34, ItemType::Story, "other"}), nullptr);
}

}  // namespace
}  // namespace stork::engine
