// StageStore::update, the one read-modify-write of an item: its lock spans read to rename, so
// writers in many threads (as in many processes: flock) lose none of each other's changes.
#include <thread>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "work/stage_store.hpp"

namespace stork {
namespace {

TEST(StageStoreUpdate, ConcurrentWritersOfDifferentFields_LoseNothing) {
  testing::TempDir dir;
  StageStore store(dir.path());
  testing::write_text(store.stage_dir(Stage::Backlog) / "1_story_x.md", "---\nname: x\n---\n");
  constexpr int kRounds = 40;
  std::vector<std::thread> writers;
  for (int writer = 0; writer < 4; ++writer) {
    writers.emplace_back([&, writer] {
      for (int i = 0; i < kRounds; ++i) {
        StageStore own(dir.path());  // its own descriptors, as another process would have
        auto done = own.update("1", [&](WorkItem& item) -> WorkResult<void> {
          if (writer == 0) item.set_retry_count(i);
          if (writer == 1) item.set_blocked(true, "reason-" + std::to_string(i));
          if (writer == 2) item.set_merge_failure("merge-" + std::to_string(i));
          if (writer == 3) item.set_review_hold(i % 2 == 0);
          return {};
        });
        ASSERT_TRUE(done.ok()) << done.error().render();
      }
    });
  }
  for (auto& writer : writers)
    writer.join();
  auto item = store.load("1");
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->retry_count(), kRounds - 1);
  EXPECT_EQ(item->blocked_reason(), "reason-" + std::to_string(kRounds - 1));
  EXPECT_EQ(item->merge_failure(), "merge-" + std::to_string(kRounds - 1));
  EXPECT_FALSE(item->review_hold());
}

TEST(StageStoreUpdate, RefusedEditWritesNothing) {
  testing::TempDir dir;
  StageStore store(dir.path());
  const auto path = store.stage_dir(Stage::Backlog) / "1_story_x.md";
  testing::write_text(path, "---\nname: x\n---\n");
  auto done = store.update("1", [](WorkItem& item) -> WorkResult<void> {
    item.set_blocked(true, "half");
    return fail(WorkError{WorkErrorKind::InvalidInput, "no"});
  });
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().message, "no");
  EXPECT_FALSE(store.load("1")->blocked());
}

}  // namespace
}  // namespace stork
