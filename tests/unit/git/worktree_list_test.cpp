#include "git/worktree_list.hpp"

#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "git/component_steps.hpp"
#include "git/contained_path.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::string_literals;

TEST(ParseWorktreeList, ReadsBranchDetachedAndPrunableRecords) {
  auto text =
      "worktree /p\0HEAD aaa\0branch refs/heads/main\0\0"
      "worktree /p/.storkit/worktrees/1_story_a\0HEAD bbb\0detached\0\0"
      "worktree /gone\0HEAD ccc\0branch refs/heads/feature/x\0"
      "prunable gitdir file points to non-existent location\0\0"s;
  auto list = parse_worktree_list(text);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].path, "/p");
  EXPECT_EQ(list[0].head, "aaa");
  EXPECT_EQ(list[0].branch, "main");
  EXPECT_FALSE(list[0].prunable);
  EXPECT_EQ(list[1].path, "/p/.storkit/worktrees/1_story_a");
  EXPECT_EQ(list[1].branch, "");
  EXPECT_EQ(list[2].branch, "feature/x");
  EXPECT_TRUE(list[2].prunable);
}

TEST(ParseWorktreeList, KeepsANewlineInAPath) {
  auto list = parse_worktree_list("worktree /a\nb\0HEAD aaa\0\0"s);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].path, "/a\nb");
}

TEST(ResolveInside, RefusesDotDotAbsolutePathsAndSymlinksOut) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "root/sub");
  std::filesystem::create_directories(dir / "elsewhere");
  std::filesystem::create_directory_symlink(dir / "elsewhere", dir / "root/out");
  EXPECT_TRUE(resolve_inside(dir / "root", "sub").has_value());
  EXPECT_TRUE(resolve_inside(dir / "root", ".").has_value());
  EXPECT_TRUE(resolve_inside(dir / "root", "new/file").has_value());
  EXPECT_FALSE(resolve_inside(dir / "root", "../elsewhere").has_value());
  EXPECT_FALSE(resolve_inside(dir / "root", "sub/../../elsewhere").has_value());
  EXPECT_FALSE(resolve_inside(dir / "root", (dir / "root/sub").string()).has_value());
  EXPECT_FALSE(resolve_inside(dir / "root", "out/file").has_value());
}

TEST(OutputTail, KeepsTheEndStartingOnAWholeCharacter) {
  EXPECT_EQ(output_tail("short", 10), "short");
  auto tail = output_tail("abc\xC3\xA9xyz", 4);  // the cut falls inside "é"
  EXPECT_EQ(tail, "[... 5 bytes cut ...]\nxyz");
}

// list_worktrees against a real repository with an entry of .git/worktrees caught half-written,
// as `git worktree add` leaves it for a moment (an empty commondir): git itself then fails
// with "failed to read .git/worktrees/<name>/commondir". Seen in Flow.WipLimitHoldsWithSix...
// under load: the merge queue's `worktree list` met a coder's `worktree add` and the item's
// merge failed ("cannot advance main").
//
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

// Another git process completing the entry 30 ms from now, as `worktree add` does.
std::thread finish_entry_soon(const fs::path& entry) {
  return std::thread([entry] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    std::ofstream(entry / "commondir") << "../..\n";
  });
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
  std::thread writer = finish_entry_soon(entry);
  auto listed = list_worktrees(*repo);
  writer.join();
  ASSERT_TRUE(listed.ok()) << listed.error().message();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->at(1).path.filename(), "half");
}

TEST(ListWorktrees, AWorktreeAddMeetingAnEntryBeingWrittenWaitsForItToo) {
  stork::testing::TempDir dir;
  stork::testing::init_repo(dir / "repo");
  const fs::path entry = half_written_entry(dir / "repo", dir / "half");
  auto repo = GitRepo::open(dir / "repo");
  ASSERT_TRUE(repo.ok());
  const std::vector<std::string> add = {"worktree", "add", "--detach", "--", (dir / "new").string(),
                                        "main"};
  ASSERT_FALSE(repo->run(add).ok())
      << "git's worktree add no longer reads the other entries; this test no longer reproduces";
  ASSERT_FALSE(fs::exists(dir / "new")) << "the refused add created its worktree after all";

  std::thread writer = finish_entry_soon(entry);
  auto added = run_reading_worktrees(*repo, add);
  writer.join();
  ASSERT_TRUE(added.ok()) << added.error().message();
  EXPECT_TRUE(fs::exists(dir / "new" / "README.md"));
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
