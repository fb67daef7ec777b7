#include "base/git_link.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

TEST(GitLink, AnAbsoluteTargetIsReturnedAsWritten) {
  testing::TempDir dir;
  testing::write_text(dir / ".git", "gitdir: /repo/.git/worktrees/a\n");
  EXPECT_EQ(read_git_link(dir / ".git").value(), "/repo/.git/worktrees/a");
}

TEST(GitLink, ARelativeTargetIsRelativeToTheWorktree) {
  testing::TempDir dir;
  testing::write_text(dir / "wt/.git", "gitdir: ../repo/.git/worktrees/wt\r\n");
  EXPECT_EQ(read_git_link(dir / "wt/.git").value(), dir / "wt/../repo/.git/worktrees/wt");
}

TEST(GitLink, AFileWithoutTheGitdirLineIsRefusedNamingIt) {
  testing::TempDir dir;
  testing::write_text(dir / ".git", "ref: refs/heads/main\n");
  auto link = read_git_link(dir / ".git");
  ASSERT_FALSE(link.ok());
  EXPECT_THAT(link.error(), HasSubstr((dir / ".git").string()));
  EXPECT_THAT(link.error(), HasSubstr("expected a line 'gitdir: PATH'"));
  testing::write_text(dir / ".git", "gitdir: \n");
  EXPECT_THAT(read_git_link(dir / ".git").error(), HasSubstr("names no directory"));
  EXPECT_THAT(read_git_link(dir / "missing").error(), HasSubstr((dir / "missing").string()));
}

}  // namespace
}  // namespace stork
