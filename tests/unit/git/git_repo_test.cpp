#include "git/git_repo.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/git_call_log.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

TEST(GitRepo, OpenFindsTheTopLevelFromASubdirectory) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  std::filesystem::create_directories(dir / "a/b");
  auto repo = GitRepo::open(dir / "a/b");
  ASSERT_TRUE(repo.ok()) << repo.error().message();
  EXPECT_EQ(std::filesystem::canonical(repo->root()), std::filesystem::canonical(dir.path()));
  EXPECT_EQ(*repo->current_branch(), "main");
  EXPECT_EQ(repo->head_commit()->size(), 40u);
}

TEST(GitRepo, OpenOutsideARepositoryCarriesGitsMessage) {
  testing::TempDir dir;
  auto repo = GitRepo::open(dir.path());
  ASSERT_FALSE(repo.ok());
  EXPECT_EQ(repo.error().exit_code, 128);
  EXPECT_THAT(repo.error().message(), HasSubstr("git rev-parse --show-toplevel failed (exit 128)"));
  EXPECT_THAT(repo.error().message(), HasSubstr("not a git repository"));
}

TEST(GitRepo, OpenToplevelRefusesADirectoryThatIsOnlyInsideAWorkTree) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  std::filesystem::create_directories(dir / "a/b");
  auto inside = GitRepo::open_toplevel(dir / "a/b");
  ASSERT_FALSE(inside.ok());
  EXPECT_THAT(inside.error().message(), HasSubstr("is not the top level of a work tree"));
  auto top = GitRepo::open_toplevel(dir.path());
  ASSERT_TRUE(top.ok()) << top.error().message();
}

TEST(GitRepo, FailedCommandReportsArgsAndStderr) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  auto repo = GitRepo::open(dir.path());
  auto result = repo->run({"checkout", "no-such-branch"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().args, (std::vector<std::string>{"checkout", "no-such-branch"}));
  EXPECT_THAT(result.error().message(), HasSubstr("no-such-branch"));
}

TEST(GitRepo, ArgumentsAreNeverInterpretedByAShell) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  auto repo = GitRepo::open(dir.path());
  testing::write_text(dir / "a; touch pwned.md", "x");
  auto tracked = repo->commit_paths({"a; touch pwned.md"}, "msg $(touch pwned2)");
  ASSERT_TRUE(tracked.ok()) << tracked.error().message();
  EXPECT_FALSE(std::filesystem::exists(dir / "pwned.md"));
  EXPECT_FALSE(std::filesystem::exists(dir / "pwned2"));
  EXPECT_EQ(testing::git(dir.path(), {"log", "-1", "--format=%s"}), "msg $(touch pwned2)\n");
}

TEST(GitRepo, CommitPathsCommitsOnlyThosePathsAndKeepsOtherStagedWork) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  auto repo = GitRepo::open(dir.path());
  testing::write_text(dir / "mine.txt", "mine");
  testing::write_text(dir / "user.txt", "user's staged work");
  testing::git(dir.path(), {"add", "user.txt"});
  auto commit = repo->commit_paths({"mine.txt"}, "add mine");
  ASSERT_TRUE(commit.ok()) << commit.error().message();
  EXPECT_EQ(commit->size(), 40u);
  EXPECT_EQ(testing::git(dir.path(), {"show", "--name-only", "--format=", "HEAD"}), "mine.txt\n");
  EXPECT_EQ(testing::git(dir.path(), {"diff", "--cached", "--name-only"}), "user.txt\n");
}

TEST(GitRepo, CommitPathsWithNothingChangedReturnsEmpty) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  auto repo = GitRepo::open(dir.path());
  auto commit = repo->commit_paths({"README.md"}, "nothing");
  ASSERT_TRUE(commit.ok());
  EXPECT_EQ(*commit, "");
}

TEST(GitRepo, CommitPathsWithNothingChangedThereLeavesOtherStagedWorkAlone) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  auto repo = GitRepo::open(dir.path());
  testing::write_text(dir / "user.txt", "user's staged work");
  testing::git(dir.path(), {"add", "user.txt"});
  const auto before = *repo->head_commit();
  auto commit = repo->commit_paths({"README.md"}, "nothing");
  ASSERT_TRUE(commit.ok()) << commit.error().message();
  EXPECT_EQ(*commit, "");
  EXPECT_EQ(*repo->head_commit(), before);
  EXPECT_EQ(testing::git(dir.path(), {"diff", "--cached", "--name-only"}), "user.txt\n");
}

TEST(GitRepo, CommitPathsWorksWithoutAConfiguredIdentity) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  testing::git(dir.path(), {"config", "--unset", "user.name"});
  testing::git(dir.path(), {"config", "--unset", "user.email"});
  testing::TempDir empty_home;  // no ~/.gitconfig identity either
  setenv("HOME", empty_home.path().c_str(), 1);
  setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
  auto repo = GitRepo::open(dir.path());
  testing::write_text(dir / "new.txt", "x");
  auto commit = repo->commit_paths({"new.txt"}, "no identity");
  unsetenv("GIT_CONFIG_NOSYSTEM");
  ASSERT_TRUE(commit.ok()) << commit.error().message();
  EXPECT_EQ(testing::git(dir.path(), {"log", "-1", "--format=%an <%ae>"}),
            "stork <stork@localhost>\n");
}

TEST(GitRepo, CommitPathsAsksNothingBeforeItCommits) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  auto repo = GitRepo::open(dir.path());
  testing::write_text(dir / "new.txt", "x");
  testing::GitCallLog log;
  auto committed = repo->commit_paths({"new.txt"}, "with identity");
  ASSERT_TRUE(committed.ok()) << committed.error().message();
  // add and commit: no question first about the identity or staged changes, and the new
  // commit read from the branch's ref file.
  EXPECT_THAT(log.calls(), ::testing::ElementsAre(::testing::StartsWith("add "),
                                                  ::testing::StartsWith("commit ")));
  EXPECT_EQ(*committed, testing::git(dir.path(), {"rev-parse", "HEAD"}).substr(0, 40));
  EXPECT_EQ(testing::git(dir.path(), {"log", "-1", "--format=%an <%ae>"}),
            "Stork Test <test@stork.invalid>\n");
}

TEST(GitRepo, HeadReadsBranchAndCommitWithOneGitProcess) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  auto repo = GitRepo::open(dir.path());
  const auto commit = *repo->head_commit();
  {
    testing::GitCallLog log;
    auto head = repo->head();
    ASSERT_TRUE(head.ok()) << head.error().message();
    EXPECT_EQ(head->branch, "main");
    EXPECT_EQ(head->commit, commit);
    EXPECT_EQ(log.calls().size(), 1u);
  }
  testing::git(dir.path(), {"checkout", "-q", "--detach"});
  auto detached = repo->head();
  ASSERT_TRUE(detached.ok());
  EXPECT_EQ(detached->branch, "");
  EXPECT_EQ(detached->commit, commit);
}

TEST(GitRepo, HeadOfABranchWithNoCommitYetHasItsBranch) {
  testing::TempDir dir;
  testing::git(dir.path(), {"init", "-q", "-b", "trunk"});
  auto head = GitRepo::open(dir.path())->head();
  ASSERT_TRUE(head.ok()) << head.error().message();
  EXPECT_EQ(head->branch, "trunk");
  EXPECT_EQ(head->commit, "");
}

TEST(GitRepo, GitDirOfALinkedWorktreeIsReadFromItsGitFile) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  testing::git(dir.path(), {"worktree", "add", "-q", "--detach", (dir / "linked").string()});
  auto linked = GitRepo::open_toplevel(dir / "linked");
  auto main = GitRepo::open(dir.path());
  testing::GitCallLog log;
  auto linked_dir = linked->git_dir();
  auto main_dir = main->git_dir();
  ASSERT_TRUE(linked_dir.ok() && main_dir.ok());
  EXPECT_EQ(std::filesystem::canonical(*linked_dir),
            std::filesystem::canonical(dir / ".git/worktrees/linked"));
  EXPECT_EQ(std::filesystem::canonical(*main_dir), std::filesystem::canonical(dir / ".git"));
  EXPECT_TRUE(log.calls().empty()) << ::testing::PrintToString(log.calls());
}

TEST(GitRepo, GitDirOfAWorktreeWhoseGitFileIsBrokenIsGitsAnswer) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  testing::git(dir.path(), {"worktree", "add", "-q", "--detach", (dir / "linked").string()});
  auto linked = GitRepo::open_toplevel(dir / "linked");
  testing::write_text(dir / "linked/.git", "gitdir: /nowhere/at/all\n");
  auto git_dir = linked->git_dir();
  ASSERT_FALSE(git_dir.ok());
  EXPECT_THAT(git_dir.error().message(), HasSubstr("rev-parse --absolute-git-dir"));
  EXPECT_THAT(git_dir.error().message(), HasSubstr("/nowhere/at/all"));
}

TEST(GitRepo, TrackedListsOnlyTrackedPaths) {
  testing::TempDir dir;
  testing::init_repo(dir.path());
  testing::write_text(dir / "untracked.txt", "x");
  auto repo = GitRepo::open(dir.path());
  auto tracked = repo->tracked({"README.md", "untracked.txt", "missing.txt"});
  ASSERT_TRUE(tracked.ok());
  EXPECT_EQ(*tracked, std::vector<std::string>{"README.md"});
}

}  // namespace
}  // namespace stork
