#include "git/branch_status.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr const char* kBranch = "feature/story-1_story_a";

class BranchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::init_repo(root_);
    git(root_, {"worktree", "add", "-q", "-b", kBranch, worktree_.string(), "main"});
  }

  std::string git(const fs::path& dir, const std::vector<std::string>& args) const {
    return testing::git(dir, args);
  }
  std::string head(const fs::path& dir, const std::string& rev = "HEAD") const {
    return git(dir, {"rev-parse", rev}).substr(0, 40);
  }
  void commit(const fs::path& dir, const std::string& file, const std::string& text) const {
    testing::write_text(dir / file, text);
    git(dir, {"add", "-A"});
    git(dir, {"commit", "-q", "-m", "change " + file});
  }

  testing::TempDir dir_;
  fs::path root_ = dir_ / "project";
  fs::path worktree_ = dir_ / "worktree";
};

// --- branch_status ---------------------------------------------------------------------------

TEST_F(BranchTest, BranchStatus_FreshWorktreeIsCleanAndNotAhead) {
  auto status = branch_status(worktree_, "main");
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_THAT(status->uncommitted, IsEmpty());
  EXPECT_EQ(status->commits_ahead, 0);
}

TEST_F(BranchTest, BranchStatus_CountsOnlyTheBranchsOwnCommits) {
  commit(worktree_, "a.txt", "a\n");
  commit(worktree_, "b.txt", "b\n");
  commit(root_, "on-main.txt", "main moved on\n");  // not the branch's work

  auto status = branch_status(worktree_, "main");
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(status->commits_ahead, 2);
  EXPECT_THAT(status->uncommitted, IsEmpty());
}

TEST_F(BranchTest, BranchStatus_ListsModifiedAndStagedTrackedFiles) {
  commit(worktree_, "staged.txt", "one\n");
  testing::write_text(worktree_ / "README.md", "# changed\n");
  testing::write_text(worktree_ / "staged.txt", "two\n");
  git(worktree_, {"add", "staged.txt"});

  auto status = branch_status(worktree_, "main");
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_THAT(status->uncommitted, UnorderedElementsAre("README.md", "staged.txt"));
  EXPECT_EQ(status->commits_ahead, 1);
}

TEST_F(BranchTest, BranchStatus_ListsUntrackedFilesEvenWhenTheUserHidesThem) {
  git(worktree_, {"config", "status.showUntrackedFiles", "no"});
  testing::write_text(worktree_ / "new file.txt", "never added\n");
  testing::write_text(worktree_ / "new dir" / "inner.txt", "never added\n");

  auto status = branch_status(worktree_, "main");
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_THAT(status->uncommitted, UnorderedElementsAre("new file.txt", "new dir/"));
}

TEST_F(BranchTest, BranchStatus_LeavesIgnoredFilesOut) {
  commit(worktree_, ".gitignore", "*.log\nbuild/\n");
  testing::write_text(worktree_ / "run.log", "noise\n");
  testing::write_text(worktree_ / "build" / "out.o", "object\n");

  auto status = branch_status(worktree_, "main");
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_THAT(status->uncommitted, IsEmpty());
}

TEST_F(BranchTest, BranchStatus_CountsAgainstTheBranchNotATagOrFileOfTheSameName) {
  commit(worktree_, "a.txt", "a\n");
  // A tag "main" on the branch's own commit, and a file called "main": neither is the base.
  git(worktree_, {"tag", "main", "HEAD"});
  commit(worktree_, "main", "a file named like the base\n");

  auto status = branch_status(worktree_, "main");
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(status->commits_ahead, 2);
}

TEST_F(BranchTest, BranchStatus_FailsForAMissingBaseBranchNamingIt) {
  auto status = branch_status(worktree_, "trunk");
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message(), HasSubstr("'trunk' does not exist"));
}

TEST_F(BranchTest, BranchStatus_RefusesADirectoryInsideAnotherWorkTree) {
  fs::create_directories(root_ / "sub");
  auto status = branch_status(root_ / "sub", "main");
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message(), HasSubstr("not the top level"));
}

// --- diff_against_base -----------------------------------------------------------------------

const FileDiff* find_file(const BranchDiff& diff, const std::string& path) {
  for (const auto& file : diff.files)
    if (file.path == path) return &file;
  return nullptr;
}

TEST_F(BranchTest, Diff_ReportsAddedModifiedDeletedAndRenamedFilesAgainstTheMergeBase) {
  commit(root_, "old.txt", "one\ntwo\nthree\nfour\nfive\n");
  commit(root_, "gone.txt", "bye\n");
  git(worktree_, {"merge", "-q", "--ff-only", "main"});
  const auto fork = head(root_);

  testing::write_text(worktree_ / "README.md", "# sample, changed\n");
  git(worktree_, {"mv", "old.txt", "new.txt"});
  git(worktree_, {"rm", "-q", "gone.txt"});
  testing::write_text(worktree_ / "added.txt", "1\n2\n3\n");
  git(worktree_, {"add", "-A"});
  git(worktree_, {"commit", "-q", "-m", "work"});
  commit(root_, "later-on-main.txt", "not the branch's\n");  // three-dot: not in the diff

  auto diff = diff_against_base(root_, kBranch, "main");
  ASSERT_TRUE(diff.ok()) << diff.error().message();
  EXPECT_EQ(diff->base_commit, fork);
  EXPECT_EQ(diff->head_commit, head(worktree_));
  EXPECT_FALSE(diff->truncated);
  ASSERT_EQ(diff->files.size(), 4u);

  auto* modified = find_file(*diff, "README.md");
  ASSERT_NE(modified, nullptr);
  EXPECT_EQ(modified->status, "modified");
  EXPECT_EQ(modified->additions, 1);
  EXPECT_EQ(modified->deletions, 1);
  EXPECT_THAT(modified->patch, ::testing::StartsWith("diff --git a/README.md b/README.md\n"));
  EXPECT_THAT(modified->patch, HasSubstr("\n-# sample\n+# sample, changed\n"));

  auto* renamed = find_file(*diff, "new.txt");
  ASSERT_NE(renamed, nullptr);
  EXPECT_EQ(renamed->status, "renamed");
  EXPECT_EQ(renamed->old_path, "old.txt");
  EXPECT_EQ(renamed->additions + renamed->deletions, 0);
  EXPECT_THAT(renamed->patch, HasSubstr("rename to new.txt"));

  auto* deleted = find_file(*diff, "gone.txt");
  ASSERT_NE(deleted, nullptr);
  EXPECT_EQ(deleted->status, "deleted");
  EXPECT_EQ(deleted->deletions, 1);
  EXPECT_THAT(deleted->patch, HasSubstr("-bye"));

  auto* added = find_file(*diff, "added.txt");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->status, "added");
  EXPECT_EQ(added->additions, 3);
  EXPECT_EQ(added->old_path, "");
  EXPECT_THAT(added->patch, HasSubstr("+1\n+2\n+3\n"));
  EXPECT_EQ(find_file(*diff, "later-on-main.txt"), nullptr);
}

TEST_F(BranchTest, Diff_MatchesPatchesToPathsWithSpacesQuotesAndNonAscii) {
  const std::vector<std::string> names = {"my file.txt", "dir b/x b/y.txt", "caf\xc3\xa9.txt",
                                          "say \"hi\".txt"};
  for (const auto& name : names)
    testing::write_text(worktree_ / name, "content of " + name + "\n");
  git(worktree_, {"add", "-A"});
  git(worktree_, {"commit", "-q", "-m", "odd names"});

  auto diff = diff_against_base(root_, kBranch, "main");
  ASSERT_TRUE(diff.ok()) << diff.error().message();
  ASSERT_EQ(diff->files.size(), names.size());
  for (const auto& name : names) {
    auto* file = find_file(*diff, name);
    ASSERT_NE(file, nullptr) << name;
    EXPECT_EQ(file->status, "added");
    EXPECT_EQ(file->additions, 1) << name;
    EXPECT_THAT(file->patch, HasSubstr("+content of " + name + "\n")) << name;
  }
}

TEST_F(BranchTest, Diff_MarksBinaryFilesWithoutLineCounts) {
  testing::write_text(worktree_ / "image.bin", std::string("\x89PNG\0\0\x01\x02", 8));
  git(worktree_, {"add", "-A"});
  git(worktree_, {"commit", "-q", "-m", "binary"});

  auto diff = diff_against_base(root_, kBranch, "main");
  ASSERT_TRUE(diff.ok()) << diff.error().message();
  ASSERT_EQ(diff->files.size(), 1u);
  EXPECT_TRUE(diff->files[0].binary);
  EXPECT_EQ(diff->files[0].additions, 0);
  EXPECT_EQ(diff->files[0].deletions, 0);
  EXPECT_THAT(diff->files[0].patch, HasSubstr("Binary files"));
}

TEST_F(BranchTest, Diff_TypeChangeKeepsBothOfItsPatchChunks) {
  commit(root_, "link", "was a file\n");
  git(worktree_, {"merge", "-q", "--ff-only", "main"});
  fs::remove(worktree_ / "link");
  fs::create_symlink("README.md", worktree_ / "link");
  git(worktree_, {"add", "-A"});
  git(worktree_, {"commit", "-q", "-m", "now a link"});

  auto diff = diff_against_base(root_, kBranch, "main");
  ASSERT_TRUE(diff.ok()) << diff.error().message();
  ASSERT_EQ(diff->files.size(), 1u);
  EXPECT_EQ(diff->files[0].status, "modified");
  EXPECT_THAT(diff->files[0].patch, HasSubstr("-was a file"));
  EXPECT_THAT(diff->files[0].patch, HasSubstr("+README.md"));
}

TEST_F(BranchTest, Diff_KeepsStatsButDropsPatchesPastTheCap) {
  std::string lines;
  for (int i = 0; i < 20; ++i)
    lines += "line " + std::to_string(i) + "\n";
  testing::write_text(worktree_ / "a.txt", lines);
  testing::write_text(worktree_ / "b.txt", lines);
  testing::write_text(worktree_ / "c.txt", "small\n");
  std::string huge;
  for (int i = 0; i < 5000; ++i)
    huge += "generated " + std::to_string(i) + "\n";
  testing::write_text(worktree_ / "d.txt", huge);
  git(worktree_, {"add", "-A"});
  git(worktree_, {"commit", "-q", "-m", "many lines"});

  auto full = diff_against_base(root_, kBranch, "main");
  ASSERT_TRUE(full.ok()) << full.error().message();
  EXPECT_FALSE(full->truncated);
  const auto a_size = find_file(*full, "a.txt")->patch.size();
  ASSERT_GT(a_size, 0u);

  // Room for a.txt only: b.txt would pass the cap, and everything after it goes too.
  auto capped = diff_against_base(root_, kBranch, "main", a_size + 10);
  ASSERT_TRUE(capped.ok()) << capped.error().message();
  EXPECT_TRUE(capped->truncated);
  ASSERT_EQ(capped->files.size(), 4u);
  EXPECT_EQ(find_file(*capped, "a.txt")->patch, find_file(*full, "a.txt")->patch);
  for (const char* name : {"b.txt", "c.txt", "d.txt"}) {
    auto* file = find_file(*capped, name);
    EXPECT_EQ(file->patch, "") << name;
    EXPECT_EQ(file->additions, find_file(*full, name)->additions) << name;
  }
  EXPECT_EQ(find_file(*capped, "d.txt")->additions, 5000);
}

TEST_F(BranchTest, Diff_IsEmptyForABranchWithoutChanges) {
  auto diff = diff_against_base(root_, kBranch, "main");
  ASSERT_TRUE(diff.ok()) << diff.error().message();
  EXPECT_THAT(diff->files, IsEmpty());
  EXPECT_EQ(diff->base_commit, head(root_));
  EXPECT_FALSE(diff->truncated);
}

TEST_F(BranchTest, Diff_FailsForAMissingBranchNamingIt) {
  auto diff = diff_against_base(root_, "feature/story-9_story_none", "main");
  ASSERT_FALSE(diff.ok());
  EXPECT_THAT(diff.error().message(), HasSubstr("'feature/story-9_story_none' does not exist"));
}

TEST_F(BranchTest, DiffOfCommit_ShowsWhatOneCommitChangedAgainstItsFirstParent) {
  commit(root_, "kept.txt", "one\n");
  const auto before = head(root_);
  testing::write_text(root_ / "kept.txt", "one\ntwo\n");
  testing::write_text(root_ / "new.txt", "new\n");
  git(root_, {"add", "-A"});
  git(root_, {"commit", "-q", "-m", "squash"});
  commit(root_, "later.txt", "not part of it\n");
  const auto squash = head(root_, "HEAD~1");

  auto diff = diff_of_commit(root_, squash);
  ASSERT_TRUE(diff.ok()) << diff.error().message();
  EXPECT_EQ(diff->base_commit, before);
  EXPECT_EQ(diff->head_commit, squash);
  ASSERT_EQ(diff->files.size(), 2u);
  EXPECT_EQ(diff->files[0].path, "kept.txt");
  EXPECT_EQ(diff->files[0].status, "modified");
  EXPECT_THAT(diff->files[0].patch, HasSubstr("+two"));
  EXPECT_EQ(diff->files[1].path, "new.txt");
  EXPECT_EQ(diff->files[1].status, "added");
}

TEST_F(BranchTest, DiffOfCommit_FailsForAnUnknownCommit) {
  auto diff = diff_of_commit(root_, "0123456789012345678901234567890123456789");
  ASSERT_FALSE(diff.ok());
  EXPECT_THAT(diff.error().message(), HasSubstr("rev-parse"));
}

}  // namespace
}  // namespace stork
