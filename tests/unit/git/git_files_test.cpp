#include "git/git_files.hpp"

#include <gtest/gtest.h>

#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;

class GitFilesTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::init_repo(root_); }
  GitRepo main() const { return GitRepo::open(root_).value(); }
  fs::path add_worktree(const fs::path& repo, const std::string& name) const {
    auto path = dir_ / name;
    testing::git(repo, {"worktree", "add", "-q", "--detach", path.string()});
    return path;
  }

  testing::TempDir dir_;
  fs::path root_ = dir_ / "project";
};

TEST_F(GitFilesTest, ALinkedWorktreeOfTheRepositoryIsRegistered) {
  auto linked = add_worktree(root_, "linked");
  EXPECT_TRUE(is_registered_worktree(main(), linked));
  EXPECT_TRUE(is_registered_worktree(main(), linked / "."));
}

TEST_F(GitFilesTest, TheMainCheckoutAMissingPathAndAPlainDirectoryAreNot) {
  EXPECT_FALSE(is_registered_worktree(main(), root_));
  EXPECT_FALSE(is_registered_worktree(main(), dir_ / "nowhere"));
  fs::create_directories(dir_ / "plain");
  EXPECT_FALSE(is_registered_worktree(main(), dir_ / "plain"));
}

TEST_F(GitFilesTest, AWorktreeOfAnotherRepositoryIsNot) {
  const auto other = dir_ / "other";
  testing::init_repo(other);
  auto theirs = add_worktree(other, "theirs");
  EXPECT_FALSE(is_registered_worktree(main(), theirs));
}

TEST_F(GitFilesTest, ACopyOfAWorktreeIsNotTheRegisteredOne) {
  // Its .git file names a real admin dir, but that dir's gitdir names the original.
  auto linked = add_worktree(root_, "linked");
  const auto copy = dir_ / "copy";
  fs::copy(linked, copy, fs::copy_options::recursive);
  EXPECT_FALSE(is_registered_worktree(main(), copy));
  EXPECT_TRUE(is_registered_worktree(main(), linked));
}

TEST_F(GitFilesTest, AWorktreeWhoseAdminDirIsGoneIsNot) {
  auto linked = add_worktree(root_, "linked");
  fs::remove_all(root_ / ".git" / "worktrees");
  EXPECT_FALSE(is_registered_worktree(main(), linked));
}

TEST_F(GitFilesTest, CheckedOutBranchReadsHeadAndIsEmptyWhenDetached) {
  EXPECT_EQ(checked_out_branch(main()), "main");
  testing::git(root_, {"switch", "-q", "-c", "feature/x"});
  EXPECT_EQ(checked_out_branch(main()), "feature/x");
  auto linked = add_worktree(root_, "linked");
  EXPECT_EQ(checked_out_branch(GitRepo::open(linked).value()), "");
  testing::git(root_, {"switch", "-q", "--detach"});
  EXPECT_EQ(checked_out_branch(main()), "");
}

TEST_F(GitFilesTest, LooseBranchCommitReadsALooseRefAndNothingElse) {
  const auto head = testing::git(root_, {"rev-parse", "HEAD"}).substr(0, 40);
  testing::git(root_, {"branch", "loose"});
  EXPECT_EQ(loose_branch_commit(main(), "loose"), head);
  EXPECT_EQ(loose_branch_commit(main(), "no-such-branch"), "");
  EXPECT_EQ(loose_branch_commit(main(), "../HEAD"), "");

  testing::git(root_, {"symbolic-ref", "refs/heads/alias", "refs/heads/loose"});
  EXPECT_EQ(loose_branch_commit(main(), "alias"), "");
  // Packed, the ref file is gone: the answer is "ask git", never a stale value.
  testing::git(root_, {"pack-refs", "--all"});
  EXPECT_EQ(loose_branch_commit(main(), "loose"), "");
}

TEST_F(GitFilesTest, LooseBranchCommitOfALinkedWorktreeReadsTheSharedRefs) {
  auto linked = add_worktree(root_, "linked");
  testing::git(linked, {"switch", "-q", "-c", "feature/linked"});
  EXPECT_EQ(loose_branch_commit(GitRepo::open(linked).value(), "feature/linked"),
            testing::git(root_, {"rev-parse", "feature/linked"}).substr(0, 40));
}

TEST_F(GitFilesTest, HeadFromFilesOrGitAgreesWithGitWhetherTheRefIsLooseOrPacked) {
  const auto head = testing::git(root_, {"rev-parse", "HEAD"}).substr(0, 40);
  auto loose = head_from_files_or_git(main());
  ASSERT_TRUE(loose.ok());
  EXPECT_EQ(loose->branch, "main");
  EXPECT_EQ(loose->commit, head);

  testing::git(root_, {"pack-refs", "--all"});
  auto packed = head_from_files_or_git(main());
  ASSERT_TRUE(packed.ok());
  EXPECT_EQ(packed->branch, "main");
  EXPECT_EQ(packed->commit, head);

  testing::git(root_, {"switch", "-q", "--detach"});
  auto detached = head_from_files_or_git(main());
  ASSERT_TRUE(detached.ok());
  EXPECT_EQ(detached->branch, "");
  EXPECT_EQ(detached->commit, head);
}

}  // namespace
}  // namespace stork
