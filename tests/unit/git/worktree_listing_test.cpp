// list_worktrees against a real repository with an entry of .git/worktrees caught half-written,
// as `git worktree add` leaves it for a moment (an empty commondir): git itself then fails
// with "failed to read .git/worktrees/<name>/commondir". Seen in Flow.WipLimitHoldsWithSix...
// under load: the merge queue's `worktree list` met a coder's `worktree add` and the item's
// merge failed ("cannot advance main").
#include "git/worktree_listing.hpp"

#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// The entry `git worktree add` is writing: its checkout and gitdir exist, commondir is empty.
fs::path half_written_entry(const fs::path& repo, const fs::path& checkout) {
  const fs::path entry = repo / ".git/worktrees/half";
  fs::create_directories(entry);
  fs::create_directories(checkout);
  std::ofstream(checkout / ".git") << "gitdir: " << entry.string() << "\n";
  std::ofstream(entry / "gitdir") << (checkout / ".git").string() << "\n";
  std::ofstream(entry / "commondir");  // empty: git reads 0 bytes and gives up
  return entry;
}

TEST(ListWorktrees, AnEntryBeingWrittenIsWaitedForNotAFailure) {
  stork::testing::TempDir dir;
  stork::testing::init_repo(dir / "repo");
  const fs::path entry = half_written_entry(dir / "repo", dir / "half");
  auto repo = GitRepo::open(dir / "repo");
  ASSERT_TRUE(repo.ok());
  ASSERT_FALSE(repo->run({"worktree", "list", "--porcelain", "-z"}).ok())
      << "git no longer fails on an empty commondir; this test no longer reproduces the race";

  // The writer finishes the entry while list_worktrees is retrying.
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    std::ofstream(entry / "commondir") << "../..\n";
  });
  auto listed = list_worktrees(*repo);
  writer.join();
  ASSERT_TRUE(listed.ok()) << listed.error().message();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->at(1).path.filename(), "half");
}

TEST(ListWorktrees, AnEntryThatStaysBrokenFailsWithGitsMessage) {
  stork::testing::TempDir dir;
  stork::testing::init_repo(dir / "repo");
  half_written_entry(dir / "repo", dir / "half");
  auto repo = GitRepo::open(dir / "repo");
  ASSERT_TRUE(repo.ok());
  auto listed = list_worktrees(*repo);
  ASSERT_FALSE(listed.ok());
  EXPECT_THAT(listed.error().message(), HasSubstr("failed to read .git/worktrees/half/commondir"));
}

}  // namespace
}  // namespace stork
