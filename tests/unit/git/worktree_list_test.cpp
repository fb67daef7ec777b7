#include "git/worktree_list.hpp"

#include <gtest/gtest.h>

#include "git/component_steps.hpp"
#include "git/contained_path.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

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

}  // namespace
}  // namespace stork
