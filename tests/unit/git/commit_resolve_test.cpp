#include "git/commit_resolve.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/git_call_log.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ResolveCommitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::init_repo(dir_.path());
    first_ = rev("HEAD");
    testing::git(dir_.path(), {"commit", "-q", "--allow-empty", "-m", "second"});
    second_ = rev("HEAD");
    testing::git(dir_.path(), {"branch", "topic", first_});
    testing::git(dir_.path(), {"tag", "-a", "-m", "annotated", "v1", first_});
  }
  std::string rev(const std::string& name) const {
    return testing::git(dir_.path(), {"rev-parse", name}).substr(0, 40);
  }
  GitRepo repo() const { return GitRepo::open(dir_.path()).value(); }

  testing::TempDir dir_;
  std::string first_, second_;
};

TEST_F(ResolveCommitsTest, SeveralNamesResolveInOrderWithOneGitProcess) {
  auto repo = this->repo();
  testing::GitCallLog log;
  auto ids = resolve_commits(repo, {CommitName::branch("topic"), CommitName::rev("HEAD"),
                                    CommitName::rev("v1"), CommitName::rev(second_.substr(0, 9))});
  ASSERT_TRUE(ids.ok()) << ids.error().message();
  // The annotated tag is peeled to its commit, the abbreviation expanded.
  EXPECT_THAT(*ids, ElementsAre(first_, second_, first_, second_));
  EXPECT_EQ(log.calls().size(), 1u) << ::testing::PrintToString(log.calls());
}

TEST_F(ResolveCommitsTest, AMissingBranchFailsAsBranchCommitWouldNamingTheBranch) {
  auto ids =
      resolve_commits(repo(), {CommitName::rev("HEAD"), CommitName::branch("no-such-branch")});
  ASSERT_FALSE(ids.ok());
  EXPECT_THAT(ids.error().message(), HasSubstr("branch 'no-such-branch' does not exist"));
}

TEST_F(ResolveCommitsTest, AMissingCommitFailsNamingIt) {
  auto ids = resolve_commits(repo(), {CommitName::branch("main"), CommitName::rev("v9")});
  ASSERT_FALSE(ids.ok());
  EXPECT_THAT(ids.error().message(), HasSubstr("no commit 'v9'"));
}

TEST_F(ResolveCommitsTest, ABranchIsNeverATagOfTheSameName) {
  testing::git(dir_.path(), {"tag", "only-a-tag", second_});
  auto ids = resolve_commits(repo(), {CommitName::rev("HEAD"), CommitName::branch("only-a-tag")});
  ASSERT_FALSE(ids.ok());
  EXPECT_THAT(ids.error().message(), HasSubstr("branch 'only-a-tag' does not exist"));
}

TEST_F(ResolveCommitsTest, OptionsAndRangesAreNotReadAsSeveralCommits) {
  // Without --verify, rev-parse would print --all's refs or a range's two ends; each such name
  // must fail as the single look-up does instead.
  for (const std::string& name : {std::string("--all"), first_ + ".." + second_, "^" + first_}) {
    auto ids = resolve_commits(repo(), {CommitName::rev("HEAD"), CommitName::rev(name)});
    EXPECT_FALSE(ids.ok()) << name;
  }
}

TEST_F(ResolveCommitsTest, APathNamedLikeTheRevisionIsNotAnswered) {
  testing::write_text(dir_ / "HEAD^{commit}", "a file, not a revision\n");
  testing::write_text(dir_ / "missing^{commit}", "a file, not a revision\n");
  auto ids = resolve_commits(repo(), {CommitName::rev("HEAD"), CommitName::rev("missing")});
  ASSERT_FALSE(ids.ok());
  EXPECT_THAT(ids.error().message(), HasSubstr("no commit 'missing'"));
}

}  // namespace
}  // namespace stork
