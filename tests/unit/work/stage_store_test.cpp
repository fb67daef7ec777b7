#include "work/stage_store.hpp"

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

class StageStoreTest : public ::testing::Test {
 protected:
  void put(Stage stage, const std::string& file, const std::string& text = "---\nname: x\n---\n") {
    testing::write_text(store.stage_dir(stage) / file, text);
  }
  NewItem named(std::string name) {
    NewItem item;
    item.name = std::move(name);
    return item;
  }

  testing::TempDir dir;
  StageStore store{dir.path()};
};

TEST_F(StageStoreTest, CreateAllocatesMaxOverAllStagesPlusOne) {
  put(Stage::Backlog, "3_story_a.md");
  put(Stage::Archived, "17_bug_b.md");
  put(Stage::Qa, "9_spike_c.md");
  auto created = store.create(named("Next thing"));
  ASSERT_TRUE(created.ok()) << created.error().render();
  EXPECT_EQ(created->id.str(), "18_story_next_thing");
  EXPECT_EQ(created->stage, Stage::Backlog);
  EXPECT_TRUE(std::filesystem::exists(store.stage_dir(Stage::Backlog) / "18_story_next_thing.md"));
}

TEST_F(StageStoreTest, CreateCountsNumbersOfMalformedFileNamesToo) {
  put(Stage::Done, "40_story_Bad Name.md");
  auto created = store.create(named("x"));
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->id.number, 41);
}

TEST_F(StageStoreTest, CreateStartsAtOneInAnEmptyProject) {
  auto created = store.create(named("First"));
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->id.str(), "1_story_first");
  EXPECT_EQ(created->name(), "First");
}

TEST_F(StageStoreTest, CreateRejectsNamesWithoutUsableCharacters) {
  auto created = store.create(named("!!!"));
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().kind, WorkErrorKind::InvalidInput);
  EXPECT_EQ(store.create(named("   ")).error().kind, WorkErrorKind::InvalidInput);
  EXPECT_EQ(store.create(named("two\nlines")).error().kind, WorkErrorKind::InvalidInput);
}

TEST_F(StageStoreTest, CreateResolvesDependenciesAndRejectsUnknownOnes) {
  put(Stage::Done, "4_story_base.md");
  NewItem item = named("Child");
  item.depends_on = {"4"};
  auto created = store.create(item);
  ASSERT_TRUE(created.ok());
  EXPECT_THAT(created->depends_on(), ::testing::ElementsAre("4_story_base"));

  item.depends_on = {"99"};
  auto missing = store.create(item);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, WorkErrorKind::NotFound);
  EXPECT_THAT(missing.error().message, HasSubstr("depends_on"));
  item.depends_on = {"../../etc/passwd"};
  EXPECT_EQ(store.create(item).error().kind, WorkErrorKind::InvalidId);
}

TEST_F(StageStoreTest, ConcurrentCreatesNeverShareANumber) {
  constexpr int kThreads = 4, kPerThread = 10;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kPerThread; ++i) {
        StageStore own(dir.path());  // separate instances, as separate processes would have
        ASSERT_TRUE(own.create(named("t" + std::to_string(t) + " i" + std::to_string(i))).ok());
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  auto scan = store.scan();
  EXPECT_EQ(scan.entries.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_TRUE(scan.problems.empty()) << scan.problems.front().render();
}

TEST_F(StageStoreTest, LocateByIdOrNumber) {
  put(Stage::Qa, "7_bug_crash.md");
  auto by_number = store.locate("7");
  ASSERT_TRUE(by_number.ok());
  EXPECT_EQ(by_number->stage, Stage::Qa);
  EXPECT_TRUE(store.locate("7_bug_crash").ok());
  EXPECT_EQ(store.locate("7_bug_other").error().kind, WorkErrorKind::NotFound);
  EXPECT_EQ(store.locate("8").error().kind, WorkErrorKind::NotFound);
  EXPECT_EQ(store.locate("7_bug_../x").error().kind, WorkErrorKind::InvalidId);
}

TEST_F(StageStoreTest, SameIdInTwoStagesIsAmbiguousNotSilentlyPicked) {
  put(Stage::Current, "7_bug_crash.md");
  put(Stage::Qa, "7_bug_crash.md");
  auto located = store.locate("7_bug_crash");
  ASSERT_FALSE(located.ok());
  EXPECT_EQ(located.error().kind, WorkErrorKind::Ambiguous);
  EXPECT_THAT(store.scan().problems.at(0).message, HasSubstr("used twice"));
}

TEST_F(StageStoreTest, ScanSkipsHiddenAndNonMarkdownAndReportsBadNames) {
  put(Stage::Backlog, "1_story_a.md");
  put(Stage::Backlog, ".gitkeep", "");
  put(Stage::Backlog, "notes.txt", "");
  put(Stage::Backlog, "README.md", "");
  auto scan = store.scan();
  ASSERT_EQ(scan.entries.size(), 1u);
  ASSERT_EQ(scan.problems.size(), 1u);
  EXPECT_EQ(scan.problems[0].kind, WorkErrorKind::InvalidId);
  EXPECT_THAT(scan.problems[0].message, HasSubstr("README.md"));
}

TEST_F(StageStoreTest, LoadAllSortsByNumberAndSkipsMalformedFiles) {
  put(Stage::Done, "10_story_b.md");
  put(Stage::Backlog, "2_story_a.md");
  put(Stage::Current, "5_story_broken.md", "---\nname: [unclosed\n---\n");
  auto listing = store.load_all();
  ASSERT_EQ(listing.items.size(), 2u);
  EXPECT_EQ(listing.items[0].id.number, 2);
  EXPECT_EQ(listing.items[1].id.number, 10);
  ASSERT_EQ(listing.problems.size(), 1u);
  EXPECT_EQ(listing.problems[0].kind, WorkErrorKind::Malformed);
  EXPECT_GE(listing.problems[0].line, 2);
  EXPECT_THAT(listing.problems[0].render(), HasSubstr("5_story_broken.md:"));
  EXPECT_EQ(store.load_all(Stage::Done).items.size(), 1u);
}

TEST_F(StageStoreTest, LoadAllOfManyItemsKeepsOrderAndReportsEachProblem) {
  // A large listing (load_all reads it on the calling thread, in file-number order).
  constexpr int kItems = 1500;
  for (int n = 1; n <= kItems; ++n) {
    Stage stage = kAllStages[static_cast<size_t>(n) % kAllStages.size()];
    std::string text = n % 100 == 0 ? "---\nname: [broken\n---\n"
                                    : "---\nname: item " + std::to_string(n) + "\n---\n";
    put(stage, std::to_string(n) + "_story_s" + std::to_string(n) + ".md", text);
  }
  auto listing = store.load_all();
  ASSERT_EQ(listing.items.size(), static_cast<size_t>(kItems - kItems / 100));
  ASSERT_EQ(listing.problems.size(), static_cast<size_t>(kItems / 100));
  long previous = 0;
  for (const auto& item : listing.items) {
    EXPECT_GT(item.id.number, previous);
    EXPECT_EQ(item.name(), "item " + std::to_string(item.id.number));
    previous = item.id.number;
  }
  EXPECT_THAT(listing.problems.front().path.filename().string(), ::testing::StartsWith("100_"));
  EXPECT_EQ(store.load_all(Stage::Qa).items.size(), static_cast<size_t>(kItems / 6 - kItems / 300));
}

TEST_F(StageStoreTest, MoveRenamesAtomicallyAndIsIdempotent) {
  put(Stage::Backlog, "1_story_a.md", "---\nname: A\n---\nbody\n");
  auto moved = store.move("1", Stage::Current);
  ASSERT_TRUE(moved.ok());
  EXPECT_TRUE(moved->changed());
  EXPECT_EQ(moved->from, Stage::Backlog);
  EXPECT_FALSE(std::filesystem::exists(store.stage_dir(Stage::Backlog) / "1_story_a.md"));
  EXPECT_EQ(testing::read_text(store.stage_dir(Stage::Current) / "1_story_a.md"),
            "---\nname: A\n---\nbody\n");
  auto again = store.move("1_story_a", Stage::Current);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed());
}

TEST_F(StageStoreTest, MoveNeverOverwritesAFileInTheTargetStage) {
  put(Stage::Backlog, "1_story_a.md", "backlog copy");
  put(Stage::Qa, "1_story_a.md", "qa copy");
  // Two copies: refused as ambiguous, both files untouched.
  EXPECT_FALSE(store.move("1_story_a", Stage::Current).ok());
  EXPECT_EQ(testing::read_text(store.stage_dir(Stage::Backlog) / "1_story_a.md"), "backlog copy");
  EXPECT_EQ(testing::read_text(store.stage_dir(Stage::Qa) / "1_story_a.md"), "qa copy");
}

TEST_F(StageStoreTest, SavePersistsEditsAndRefusesAMovedItem) {
  put(Stage::Backlog, "1_story_a.md", "---\nname: A\n---\nbody\n");
  auto item = store.load("1");
  ASSERT_TRUE(item.ok());
  item->set_blocked(true);
  ASSERT_TRUE(store.save(*item).ok());
  EXPECT_EQ(testing::read_text(item->path), "---\nname: A\nblocked: true\n---\nbody\n");

  ASSERT_TRUE(store.move("1", Stage::Current).ok());
  auto stale = store.save(*item);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().kind, WorkErrorKind::NotFound);
  EXPECT_FALSE(std::filesystem::exists(item->path));  // not recreated in the old stage
}

TEST_F(StageStoreTest, NoTemporaryFilesAreLeftBehind) {
  ASSERT_TRUE(store.create(named("A")).ok());
  auto item = store.load("1");
  item->set_retry_count(1);
  ASSERT_TRUE(store.save(*item).ok());
  for (const auto& entry : std::filesystem::recursive_directory_iterator(store.work_dir())) {
    EXPECT_THAT(entry.path().filename().string(), ::testing::Not(HasSubstr(".tmp")))
        << entry.path();
  }
}

}  // namespace
}  // namespace stork
