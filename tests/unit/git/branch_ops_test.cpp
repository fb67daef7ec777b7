#include "git/branch_ops.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class BranchOpsTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::init_repo(root_); }
  testing::TempDir dir_;
  fs::path root_ = dir_ / "project";
};

TEST_F(BranchOpsTest, BranchExists_TrueForALocalBranchOnlyNotForATagOrFile) {
  testing::git(root_, {"branch", "feature/story-1_story_a"});
  testing::git(root_, {"tag", "v1"});
  EXPECT_TRUE(branch_exists(root_, "feature/story-1_story_a").value());
  EXPECT_TRUE(branch_exists(root_, "main").value());
  EXPECT_FALSE(branch_exists(root_, "v1").value());
  EXPECT_FALSE(branch_exists(root_, "README.md").value());
}

TEST_F(BranchOpsTest, BranchExists_FailsOutsideARepository) {
  auto exists = branch_exists(dir_.path(), "main");
  ASSERT_FALSE(exists.ok());
  EXPECT_THAT(exists.error().message(), HasSubstr("rev-parse"));
}

TEST_F(BranchOpsTest, ListBranches_FiltersByAPlainStringPrefixSorted) {
  for (const char* name : {"feature/story-2_story_b", "feature/story-10_story_c", "feature/other",
                           "merge-queue/2_story_b"})
    testing::git(root_, {"branch", name});
  auto listed = list_branches(root_, "feature/story-");
  ASSERT_TRUE(listed.ok()) << listed.error().message();
  EXPECT_THAT(*listed, ElementsAre("feature/story-10_story_c", "feature/story-2_story_b"));
  EXPECT_EQ(list_branches(root_, "").value().size(), 5u);  // with main
}

TEST_F(BranchOpsTest, DeleteBranch_DeletesUnmergedBranchAndAcceptsAMissingOne) {
  testing::git(root_, {"checkout", "-q", "-b", "work"});
  testing::write_text(root_ / "x.txt", "x\n");
  testing::git(root_, {"add", "x.txt"});
  testing::git(root_, {"commit", "-q", "-m", "unmerged"});
  testing::git(root_, {"checkout", "-q", "main"});

  ASSERT_TRUE(delete_branch(root_, "work").ok());
  EXPECT_FALSE(branch_exists(root_, "work").value());
  EXPECT_TRUE(delete_branch(root_, "work").ok());
}

TEST_F(BranchOpsTest, DeleteBranch_ReportsGitRefusingACheckedOutBranch) {
  auto deleted = delete_branch(root_, "main");
  ASSERT_FALSE(deleted.ok());
  EXPECT_THAT(deleted.error().message(), HasSubstr("branch -D"));
  EXPECT_TRUE(branch_exists(root_, "main").value());
}

TEST_F(BranchOpsTest, RevParse_ResolvesNamesAndAbbreviationsToFullIds) {
  auto full = testing::git(root_, {"rev-parse", "HEAD"}).substr(0, 40);
  EXPECT_EQ(rev_parse(root_, "main").value(), full);
  EXPECT_EQ(rev_parse(root_, full.substr(0, 10)).value(), full);
  auto missing = rev_parse(root_, "no-such-rev");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message(), HasSubstr("no-such-rev"));
}

}  // namespace
}  // namespace stork
