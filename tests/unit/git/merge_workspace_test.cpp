#include "git/merge_workspace.hpp"

#include <cstdlib>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/subprocess.hpp"
#include "git/branch_ops.hpp"
#include "support/git_call_log.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using Kind = SquashResult::Kind;
using Advance = AdvanceResult::Kind;
using Checkout = AdvanceResult::Checkout;

StoryId story(const std::string& text) {
  return parse_story_id(text).value();
}

std::string feature_branch(const StoryId& id) {
  return "feature/story-" + id.str();
}

class MergeWorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::init_repo(root_);
    // What `stork init` writes: the workspace is invisible to the user's `git status`.
    testing::write_text(root_ / ".storkit" / ".gitignore", "worktrees/\nmerge_workspace/\n");
    testing::write_text(root_ / "notes.txt", "1\n2\n3\n4\n5\n6\n7\n8\n");
    git(root_, {"add", "-A"});
    git(root_, {"commit", "-q", "-m", "storkit"});
  }

  std::string git(const fs::path& dir, const std::vector<std::string>& args) const {
    return testing::git(dir, args);
  }
  std::string rev(const std::string& name, const fs::path& dir = {}) const {
    return git(dir.empty() ? root_ : dir, {"rev-parse", name}).substr(0, 40);
  }
  void commit(const fs::path& dir, const std::string& file, const std::string& text,
              const std::string& message = "change") const {
    testing::write_text(dir / file, text);
    git(dir, {"add", "-A"});
    git(dir, {"commit", "-q", "-m", message});
  }
  // A coder's branch in its own worktree, forked from main now.
  fs::path feature(const StoryId& id) const {
    auto path = dir_ / ("wt-" + id.str());
    git(root_, {"worktree", "add", "-q", "-b", feature_branch(id), path.string(), "main"});
    return path;
  }
  MergeWorkspace workspace() const { return MergeWorkspace({root_, "main"}); }
  std::string status(const fs::path& dir) const { return git(dir, {"status", "--porcelain"}); }

  // Runs the git commands a LeftAlone note ends with ("run there: git a && git b") in root_.
  void run_catch_up(const std::string& note) const {
    const std::string marker = "run there: ";
    auto at = note.find(marker);
    ASSERT_NE(at, std::string::npos) << note;
    auto commands = note.substr(at + marker.size());
    size_t pos = 0;
    while (pos < commands.size()) {
      auto end = commands.find(" && ", pos);
      if (end == std::string::npos) end = commands.size();
      auto command = commands.substr(pos, end - pos);
      ASSERT_TRUE(command.starts_with("git ")) << command;
      std::vector<std::string> args;
      std::istringstream words(command.substr(4));
      for (std::string word; words >> word;)
        args.push_back(word);
      git(root_, args);
      pos = end + 4;
    }
  }

  // A squash of story `id` that adds a.txt: the common start of the advance tests.
  SquashResult squashed(const StoryId& id, const std::string& file = "a.txt",
                        const std::string& text = "from the feature\n") {
    auto tree = feature(id);
    commit(tree, file, text, "feature work");
    auto result = workspace().squash(id, feature_branch(id), "Land " + id.str());
    EXPECT_TRUE(result.ok()) << result.error().message();
    EXPECT_EQ(result->kind, Kind::Committed);
    return result.ok() ? *result : SquashResult{};
  }

  testing::TempDir dir_;
  fs::path root_ = dir_ / "project";
};

// --- squash ----------------------------------------------------------------------------------

TEST_F(MergeWorkspaceTest, Squash_MakesOneCommitOnTheBaseWithTheTrailerAndTouchesNothingElse) {
  auto id = story("1_story_a");
  auto tree = feature(id);
  commit(tree, "a.txt", "a\n");
  commit(tree, "b.txt", "b\n");
  const auto base = rev("main");
  const auto user_status = status(root_);

  auto ws = workspace();
  auto result = ws.squash(id, feature_branch(id), "Add a and b\n\nTwo files.\n");
  ASSERT_TRUE(result.ok()) << result.error().message();
  ASSERT_EQ(result->kind, Kind::Committed);
  EXPECT_EQ(result->base_commit, base);
  EXPECT_EQ(result->feature_commit, rev("HEAD", tree));
  EXPECT_EQ(ws.path(), root_ / ".storkit" / "merge_workspace");
  EXPECT_EQ(rev(MergeWorkspace::queue_branch(id)), result->commit);
  EXPECT_EQ(MergeWorkspace::queue_branch(id), "merge-queue/1_story_a");
  EXPECT_EQ(rev(result->commit + "^"), base);
  EXPECT_EQ(git(root_, {"rev-list", "--count", base + ".." + result->commit}), "1\n");
  EXPECT_THAT(result->changed_files, UnorderedElementsAre("a.txt", "b.txt"));
  EXPECT_EQ(git(root_, {"log", "-1", "--format=%B", result->commit}),
            "Add a and b\n\nTwo files.\n\nStork-Merge: 1_story_a\n\n");
  EXPECT_EQ(
      git(root_, {"log", "-1", "--format=%(trailers:key=Stork-Merge,valueonly)", result->commit}),
      "1_story_a\n\n");
  EXPECT_EQ(git(root_, {"log", "-1", "--format=%an <%ae>", result->commit}),
            "Stork Test <test@stork.invalid>\n");
  // The base and the user's checkout are as they were.
  EXPECT_EQ(rev("main"), base);
  EXPECT_FALSE(fs::exists(root_ / "a.txt"));
  EXPECT_EQ(status(root_), user_status);
  EXPECT_EQ(status(ws.path()), "");
}

TEST_F(MergeWorkspaceTest, Squash_ConflictNamesThePathsAndLeavesTheWorkspaceClean) {
  auto first = story("1_story_a");
  auto tree = feature(first);
  commit(tree, "notes.txt", "1\nfeature\n3\n4\n5\n6\n7\n8\n");
  commit(root_, "notes.txt", "1\nmain\n3\n4\n5\n6\n7\n8\n");
  const auto base = rev("main");

  auto ws = workspace();
  auto conflict = ws.squash(first, feature_branch(first), "conflicting");
  ASSERT_TRUE(conflict.ok()) << conflict.error().message();
  EXPECT_EQ(conflict->kind, Kind::Conflict);
  EXPECT_THAT(conflict->conflicted, ElementsAre("notes.txt"));
  EXPECT_EQ(conflict->base_commit, base);
  EXPECT_EQ(status(ws.path()), "");
  EXPECT_EQ(rev("HEAD", ws.path()), base);
  EXPECT_EQ(testing::read_text(ws.path() / "notes.txt"), "1\nmain\n3\n4\n5\n6\n7\n8\n");
  EXPECT_EQ(rev("main"), base);

  auto second = story("2_story_b");
  commit(feature(second), "b.txt", "b\n");
  auto next = ws.squash(second, feature_branch(second), "fine");
  ASSERT_TRUE(next.ok()) << next.error().message();
  EXPECT_EQ(next->kind, Kind::Committed);
  EXPECT_THAT(next->changed_files, ElementsAre("b.txt"));
}

TEST_F(MergeWorkspaceTest, Squash_NothingToMergeForABranchWithoutChanges) {
  auto id = story("1_story_a");
  feature(id);
  auto result = workspace().squash(id, feature_branch(id), "empty");
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(result->kind, Kind::NothingToMerge);
  EXPECT_EQ(result->commit, "");
}

TEST_F(MergeWorkspaceTest, Squash_NothingToMergeWhenTheWorkHasLandedAlready) {
  auto id = story("1_story_a");
  auto landed = squashed(id);
  auto ws = workspace();
  ASSERT_EQ(ws.advance_base(landed.base_commit, landed.commit)->kind, Advance::Advanced);

  auto again = ws.squash(id, feature_branch(id), "again");
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(again->kind, Kind::NothingToMerge);
  EXPECT_EQ(again->base_commit, landed.commit);
}

TEST_F(MergeWorkspaceTest, Squash_BranchBehindTheBaseLandsOnTheCurrentBase) {
  auto id = story("1_story_a");
  commit(feature(id), "a.txt", "a\n");
  commit(root_, "later.txt", "main moved on\n");
  const auto base = rev("main");

  auto result = workspace().squash(id, feature_branch(id), "behind");
  ASSERT_TRUE(result.ok()) << result.error().message();
  ASSERT_EQ(result->kind, Kind::Committed);
  EXPECT_EQ(rev(result->commit + "^"), base);
  EXPECT_THAT(result->changed_files, ElementsAre("a.txt"));
  EXPECT_EQ(git(root_, {"show", result->commit + ":later.txt"}), "main moved on\n");
}

TEST_F(MergeWorkspaceTest, Squash_CommitsAsStorkWithoutAConfiguredIdentity) {
  auto id = story("1_story_a");
  commit(feature(id), "a.txt", "a\n");
  git(root_, {"config", "--unset", "user.name"});
  git(root_, {"config", "--unset", "user.email"});
  testing::TempDir empty_home;  // no ~/.gitconfig identity either
  const std::string home = std::getenv("HOME") ? std::getenv("HOME") : "";
  setenv("HOME", empty_home.path().c_str(), 1);
  setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
  auto result = workspace().squash(id, feature_branch(id), "no identity");
  unsetenv("GIT_CONFIG_NOSYSTEM");
  setenv("HOME", home.c_str(), 1);

  ASSERT_TRUE(result.ok()) << result.error().message();
  ASSERT_EQ(result->kind, Kind::Committed);
  EXPECT_EQ(git(root_, {"log", "-1", "--format=%an <%ae>", result->commit}),
            "stork <stork@localhost>\n");
}

TEST_F(MergeWorkspaceTest, Squash_FailsForAMissingFeatureBranch) {
  auto result = workspace().squash(story("3_story_c"), "feature/story-3_story_c", "x");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message(), HasSubstr("'feature/story-3_story_c' does not exist"));
}

// --- reset after a crash -----------------------------------------------------------------------

TEST_F(MergeWorkspaceTest, Reset_RepairsAWorkspaceKilledMidMergeAndKeepsIgnoredFiles) {
  commit(root_, ".gitignore", "*.o\n");
  auto id = story("1_story_a");
  commit(feature(id), "notes.txt", "1\nfeature\n3\n4\n5\n6\n7\n8\n");
  commit(root_, "notes.txt", "1\nmain\n3\n4\n5\n6\n7\n8\n");
  auto ws = workspace();
  ASSERT_TRUE(ws.reset().ok());
  const auto admin = root_ / ".git" / "worktrees" / "merge_workspace";

  // What a killed merge leaves: MERGE_HEAD and conflict markers, a stray file, a held lock.
  git(ws.path(), {"checkout", "-q", "-B", "merge-queue/1_story_a"});
  Command conflicting{{"git", "merge", "--no-ff", "-q", feature_branch(id)}, ws.path(), {}, {}, {}};
  auto merged = run_command(conflicting);
  ASSERT_TRUE(merged.ok());
  ASSERT_FALSE(merged->succeeded());
  ASSERT_TRUE(fs::exists(admin / "MERGE_HEAD"));
  ASSERT_THAT(testing::read_text(ws.path() / "notes.txt"), HasSubstr("<<<<<<<"));
  testing::write_text(ws.path() / "stray.txt", "left behind\n");
  testing::write_text(ws.path() / "cache.o", "build cache\n");
  testing::write_text(admin / "index.lock", "");

  auto base = ws.reset();
  ASSERT_TRUE(base.ok()) << base.error().message();
  EXPECT_EQ(*base, rev("main"));
  EXPECT_EQ(rev("HEAD", ws.path()), rev("main"));
  EXPECT_EQ(status(ws.path()), "");
  EXPECT_FALSE(fs::exists(admin / "MERGE_HEAD"));
  EXPECT_FALSE(fs::exists(admin / "index.lock"));
  EXPECT_FALSE(fs::exists(ws.path() / "stray.txt"));
  EXPECT_EQ(testing::read_text(ws.path() / "cache.o"), "build cache\n");
  EXPECT_EQ(testing::read_text(ws.path() / "notes.txt"), "1\nmain\n3\n4\n5\n6\n7\n8\n");

  auto other = story("2_story_b");
  commit(feature(other), "b.txt", "b\n");
  auto next = ws.squash(other, feature_branch(other), "after the crash");
  ASSERT_TRUE(next.ok()) << next.error().message();
  EXPECT_EQ(next->kind, Kind::Committed);
}

TEST_F(MergeWorkspaceTest, Reset_OfAWorkspaceJustCreatedCleansNothingAndOfAUsedOneCleansAll) {
  auto ws = workspace();
  auto id = story("1_story_a");
  commit(feature(id), "a.txt", "a\n");
  const std::vector<std::string> cleaning = {"checkout -q --force --detach", "reset -q --hard",
                                             "clean -q -ffd"};
  {
    testing::GitCallLog log;
    auto base = ws.reset();
    ASSERT_TRUE(base.ok()) << base.error().message();
    EXPECT_EQ(*base, rev("main"));
    // `git worktree add` has just checked the base out: nothing there to clean.
    for (const auto& command : cleaning)
      EXPECT_THAT(log.calls_with(command), IsEmpty()) << command;
    EXPECT_EQ(status(ws.path()), "");
  }
  ASSERT_EQ(ws.squash(id, feature_branch(id), "a")->kind, Kind::Committed);
  testing::write_text(ws.path() / "stray.txt", "a gate's output\n");
  testing::GitCallLog log;
  auto base = ws.reset();
  ASSERT_TRUE(base.ok()) << base.error().message();
  EXPECT_EQ(*base, rev("main"));
  for (const auto& command : cleaning)
    EXPECT_THAT(log.calls_with(command), ::testing::SizeIs(1)) << command;
  EXPECT_EQ(rev("HEAD", ws.path()), rev("main"));
  EXPECT_FALSE(fs::exists(ws.path() / "stray.txt"));
}

TEST_F(MergeWorkspaceTest, Reset_RebuildsAWorkspaceWhoseDirectoryWasDeleted) {
  auto ws = workspace();
  ASSERT_TRUE(ws.reset().ok());
  fs::remove_all(ws.path());

  auto base = ws.reset();
  ASSERT_TRUE(base.ok()) << base.error().message();
  EXPECT_EQ(*base, rev("main"));
  EXPECT_EQ(rev("HEAD", ws.path()), rev("main"));
  EXPECT_EQ(git(root_, {"worktree", "list", "--porcelain"}).find("prunable"), std::string::npos);
}

TEST_F(MergeWorkspaceTest, Reset_RebuildsAWorkspaceWhoseAdminDirWasDeleted) {
  auto ws = workspace();
  ASSERT_TRUE(ws.reset().ok());
  fs::remove_all(root_ / ".git" / "worktrees" / "merge_workspace");

  auto base = ws.reset();
  ASSERT_TRUE(base.ok()) << base.error().message();
  EXPECT_EQ(rev("HEAD", ws.path()), rev("main"));
  EXPECT_EQ(status(ws.path()), "");
}

TEST_F(MergeWorkspaceTest, Reset_RebuildsAfterAKilledWorktreeAddLeftItLockedAndHalfMade) {
  auto ws = workspace();
  ASSERT_TRUE(ws.reset().ok());
  // `git worktree add` holds a "locked" file while it works; killed, the lock stays.
  testing::write_text(root_ / ".git" / "worktrees" / "merge_workspace" / "locked", "initializing");
  fs::remove(ws.path() / ".git");

  auto base = ws.reset();
  ASSERT_TRUE(base.ok()) << base.error().message();
  EXPECT_EQ(rev("HEAD", ws.path()), rev("main"));
  EXPECT_EQ(status(ws.path()), "");
  EXPECT_EQ(status(root_), "");  // nothing ran in the main checkout by mistake
}

// --- advance_base ------------------------------------------------------------------------------

TEST_F(MergeWorkspaceTest, AdvanceBase_FastForwardsACleanMainCheckout) {
  auto landed = squashed(story("1_story_a"));
  auto ws = workspace();
  auto advanced = ws.advance_base(landed.base_commit, landed.commit);
  ASSERT_TRUE(advanced.ok()) << advanced.error().message();
  EXPECT_EQ(advanced->kind, Advance::Advanced);
  EXPECT_EQ(advanced->base_before, landed.base_commit);
  EXPECT_EQ(advanced->base_after, landed.commit);
  EXPECT_EQ(advanced->checkout, Checkout::Updated);
  EXPECT_EQ(fs::canonical(advanced->checkout_path), fs::canonical(root_));
  EXPECT_EQ(rev("main"), landed.commit);
  EXPECT_EQ(testing::read_text(root_ / "a.txt"), "from the feature\n");
  EXPECT_EQ(status(root_), "");
}

TEST_F(MergeWorkspaceTest, AdvanceBase_SecondCallIsAlreadyThere) {
  auto landed = squashed(story("1_story_a"));
  auto ws = workspace();
  ASSERT_EQ(ws.advance_base(landed.base_commit, landed.commit)->kind, Advance::Advanced);

  auto again = ws.advance_base(landed.base_commit, landed.commit);
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(again->kind, Advance::AlreadyThere);
  EXPECT_EQ(again->base_after, landed.commit);
  EXPECT_EQ(again->checkout, Checkout::Updated);
  EXPECT_EQ(rev("main"), landed.commit);
}

TEST_F(MergeWorkspaceTest, AdvanceBase_BaseMovedMeanwhileChangesNothing) {
  auto landed = squashed(story("1_story_a"));
  commit(root_, "user.txt", "the user committed\n");
  const auto moved = rev("main");

  auto advanced = workspace().advance_base(landed.base_commit, landed.commit);
  ASSERT_TRUE(advanced.ok()) << advanced.error().message();
  EXPECT_EQ(advanced->kind, Advance::BaseMoved);
  EXPECT_EQ(advanced->base_before, moved);
  EXPECT_EQ(advanced->base_after, moved);
  EXPECT_EQ(rev("main"), moved);
  EXPECT_FALSE(fs::exists(root_ / "a.txt"));
  EXPECT_EQ(status(root_), "");
}

TEST_F(MergeWorkspaceTest, AdvanceBase_KeepsAnUnrelatedLocalChangeByteForByte) {
  auto landed = squashed(story("1_story_a"));
  const std::string local = "# sample\r\nlocal edit, no newline at the end \t";
  testing::write_text(root_ / "README.md", local);
  testing::write_text(root_ / "scratch.txt", "untracked\n");

  auto advanced = workspace().advance_base(landed.base_commit, landed.commit);
  ASSERT_TRUE(advanced.ok()) << advanced.error().message();
  EXPECT_EQ(advanced->kind, Advance::Advanced);
  EXPECT_EQ(advanced->checkout, Checkout::Updated);
  EXPECT_EQ(rev("main"), landed.commit);
  EXPECT_EQ(testing::read_text(root_ / "README.md"), local);
  EXPECT_EQ(testing::read_text(root_ / "scratch.txt"), "untracked\n");
  EXPECT_EQ(testing::read_text(root_ / "a.txt"), "from the feature\n");
  EXPECT_EQ(status(root_), " M README.md\n?? scratch.txt\n");
}

TEST_F(MergeWorkspaceTest, AdvanceBase_LeavesACheckoutAloneWhoseLocalChangeTheMergeTouches) {
  auto landed = squashed(story("1_story_a"), "notes.txt", "1\nfeature\n3\n4\n5\n6\n7\n8\n");
  const std::string local = "1\n2\n3\n4\n5\n6\nuser\n8\n";
  testing::write_text(root_ / "notes.txt", local);

  auto advanced = workspace().advance_base(landed.base_commit, landed.commit);
  ASSERT_TRUE(advanced.ok()) << advanced.error().message();
  EXPECT_EQ(advanced->kind, Advance::Advanced);
  EXPECT_EQ(advanced->checkout, Checkout::LeftAlone);
  EXPECT_EQ(rev("main"), landed.commit);
  EXPECT_EQ(testing::read_text(root_ / "notes.txt"), local);
  EXPECT_THAT(advanced->checkout_note, HasSubstr("notes.txt"));

  // The note's commands bring the checkout up to the base with the local change on top.
  run_catch_up(advanced->checkout_note);
  EXPECT_EQ(rev("HEAD"), landed.commit);
  EXPECT_EQ(git(root_, {"symbolic-ref", "--short", "HEAD"}), "main\n");
  EXPECT_EQ(testing::read_text(root_ / "notes.txt"), "1\nfeature\n3\n4\n5\n6\nuser\n8\n");
  EXPECT_EQ(status(root_), " M notes.txt\n");
}

TEST_F(MergeWorkspaceTest, AdvanceBase_LeavesAnUntrackedFileInTheWayAlone) {
  auto landed = squashed(story("1_story_a"));
  testing::write_text(root_ / "a.txt", "the user's own a.txt\n");

  auto advanced = workspace().advance_base(landed.base_commit, landed.commit);
  ASSERT_TRUE(advanced.ok()) << advanced.error().message();
  EXPECT_EQ(advanced->kind, Advance::Advanced);
  EXPECT_EQ(advanced->checkout, Checkout::LeftAlone);
  EXPECT_THAT(advanced->checkout_note, HasSubstr("a.txt"));
  EXPECT_EQ(rev("main"), landed.commit);
  EXPECT_EQ(testing::read_text(root_ / "a.txt"), "the user's own a.txt\n");

  // With the file moved away, the note's commands catch up; no stash is involved, so an older
  // stash of the user's stays where it is.
  testing::write_text(root_ / "README.md", "stashed long ago\n");
  git(root_, {"stash", "-q"});
  fs::rename(root_ / "a.txt", dir_ / "a.txt");
  run_catch_up(advanced->checkout_note);
  EXPECT_EQ(rev("HEAD"), landed.commit);
  EXPECT_EQ(testing::read_text(root_ / "a.txt"), "from the feature\n");
  EXPECT_EQ(status(root_), "");
  EXPECT_EQ(testing::read_text(root_ / "README.md"), "# sample\n");
  EXPECT_THAT(git(root_, {"stash", "list"}), HasSubstr("stash@{0}"));
}

TEST_F(MergeWorkspaceTest, AdvanceBase_MainCheckoutOnAnotherBranchIsNotTouched) {
  auto landed = squashed(story("1_story_a"));
  git(root_, {"switch", "-q", "-c", "experiment"});
  testing::write_text(root_ / "README.md", "local\n");

  auto advanced = workspace().advance_base(landed.base_commit, landed.commit);
  ASSERT_TRUE(advanced.ok()) << advanced.error().message();
  EXPECT_EQ(advanced->kind, Advance::Advanced);
  EXPECT_EQ(advanced->checkout, Checkout::NotCheckedOut);
  EXPECT_EQ(rev("main"), landed.commit);
  EXPECT_EQ(rev("HEAD"), landed.base_commit);
  EXPECT_FALSE(fs::exists(root_ / "a.txt"));
  EXPECT_EQ(testing::read_text(root_ / "README.md"), "local\n");
}

TEST_F(MergeWorkspaceTest, AdvanceBase_RefusesACommitThatWouldDropBaseHistory) {
  git(root_, {"switch", "-q", "-c", "experiment"});
  auto base = rev("main");
  auto unrelated = git(root_, {"commit-tree", "-m", "orphan", rev("HEAD^{tree}")}).substr(0, 40);

  auto advanced = workspace().advance_base(base, unrelated);
  ASSERT_FALSE(advanced.ok());
  EXPECT_THAT(advanced.error().message(), HasSubstr("would drop commits"));
  EXPECT_EQ(rev("main"), base);
}

TEST_F(MergeWorkspaceTest, AdvanceBase_RefusesACommitThatWouldDropBaseHistoryInTheCheckoutToo) {
  // main checked out: git's fast-forward in the checkout refuses first, then the descent check
  // names the reason; nothing moves.
  auto base = rev("main");
  auto unrelated = git(root_, {"commit-tree", "-m", "orphan", rev("HEAD^{tree}")}).substr(0, 40);
  testing::write_text(root_ / "notes.txt", "a local change\n");

  auto advanced = workspace().advance_base(base, unrelated);
  ASSERT_FALSE(advanced.ok());
  EXPECT_THAT(advanced.error().message(), HasSubstr("would drop commits"));
  EXPECT_EQ(rev("main"), base);
  EXPECT_EQ(rev("HEAD"), base);
  EXPECT_EQ(testing::read_text(root_ / "notes.txt"), "a local change\n");
}

TEST_F(MergeWorkspaceTest, AdvanceBase_FastForwardsALinkedWorktreeThatHasTheBase) {
  auto landed = squashed(story("1_story_a"));
  git(root_, {"switch", "-q", "-c", "experiment"});
  const auto other = dir_ / "main-elsewhere";
  git(root_, {"worktree", "add", "-q", other.string(), "main"});

  auto advanced = workspace().advance_base(landed.base_commit, landed.commit);
  ASSERT_TRUE(advanced.ok()) << advanced.error().message();
  EXPECT_EQ(advanced->kind, Advance::Advanced);
  EXPECT_EQ(advanced->checkout, Checkout::Updated);
  EXPECT_EQ(fs::canonical(advanced->checkout_path), fs::canonical(other));
  EXPECT_EQ(testing::read_text(other / "a.txt"), "from the feature\n");
  EXPECT_EQ(status(other), "");
}

TEST_F(MergeWorkspaceTest, SquashAndAdvance_AskGitOnlyWhatTheyCannotReadOrTryFirst) {
  auto ws = workspace();
  auto a = story("1_story_a");
  commit(feature(a), "a.txt", "a\n");
  {
    testing::GitCallLog log;
    auto first = ws.squash(a, feature_branch(a), "a");
    ASSERT_TRUE(first.ok()) << first.error().message();
    ASSERT_EQ(first->kind, Kind::Committed);
    // A new workspace, made on the queue branch at the base; base and branch resolved together;
    // committed without asking first; the commit's id and files from one diff-tree.
    EXPECT_THAT(log.calls_with("worktree list"), IsEmpty());
    EXPECT_THAT(log.calls_with("checkout"), IsEmpty());
    EXPECT_THAT(log.calls_with("diff --cached"), IsEmpty());
    EXPECT_THAT(log.calls_with("rev-parse"), ::testing::SizeIs(1));
    EXPECT_EQ(log.calls().size(), 5U) << ::testing::PrintToString(log.calls());
    EXPECT_EQ(first->commit, rev("merge-queue/1_story_a"));
    EXPECT_THAT(first->changed_files, ElementsAre("a.txt"));
    EXPECT_EQ(git(ws.path(), {"symbolic-ref", "--short", "HEAD"}), "merge-queue/1_story_a\n");

    log.clear();
    auto advanced = ws.advance_base(first->base_commit, first->commit);
    ASSERT_TRUE(advanced.ok()) << advanced.error().message();
    EXPECT_EQ(advanced->checkout, Checkout::Updated);
    // The main checkout has main, as its HEAD file says; its fast-forward is the descent check
    // and nothing held it back.
    EXPECT_THAT(log.calls_with("worktree list"), IsEmpty());
    EXPECT_THAT(log.calls_with("merge-base"), IsEmpty());
    EXPECT_THAT(log.calls_with("status"), IsEmpty());
  }

  auto b = story("2_story_b");
  commit(feature(b), "b.txt", "b\n");
  const auto first_queue = rev("merge-queue/1_story_a");
  testing::GitCallLog log;
  auto second = ws.squash(b, feature_branch(b), "b");
  ASSERT_TRUE(second.ok()) << second.error().message();
  ASSERT_EQ(second->kind, Kind::Committed);
  // The workspace as the last merge left it, read from git's files; cleaned onto the new
  // queue branch, the last one untouched.
  EXPECT_THAT(log.calls_with("worktree"), IsEmpty());
  EXPECT_THAT(log.calls_with("checkout -q --force -B merge-queue/2_story_b"), ::testing::SizeIs(1));
  EXPECT_EQ(rev("merge-queue/1_story_a"), first_queue);
  EXPECT_THAT(second->changed_files, ElementsAre("b.txt"));
}

// --- check_landed, find_landed_merge, drop_queue_branch -----------------------------------------

TEST_F(MergeWorkspaceTest, CheckLanded_FalseBeforeTheAdvanceTrueAfter) {
  auto id = story("1_story_a");
  auto landed = squashed(id);

  auto before = check_landed(root_, "main", landed.commit);
  ASSERT_TRUE(before.ok()) << before.error().message();
  EXPECT_FALSE(before->on_base);
  EXPECT_FALSE(before->base_is_commit);
  EXPECT_EQ(before->base_head, landed.base_commit);
  EXPECT_THAT(before->changed_files, ElementsAre("a.txt"));
  EXPECT_EQ(find_landed_merge(root_, "main", id).value(), std::nullopt);

  ASSERT_TRUE(workspace().advance_base(landed.base_commit, landed.commit).ok());
  auto after = check_landed(root_, "main", landed.commit);
  ASSERT_TRUE(after.ok()) << after.error().message();
  EXPECT_TRUE(after->on_base);
  EXPECT_TRUE(after->base_is_commit);
  EXPECT_EQ(find_landed_merge(root_, "main", id).value(), landed.commit);

  commit(root_, "later.txt", "later\n");
  auto later = check_landed(root_, "main", landed.commit.substr(0, 12));
  ASSERT_TRUE(later.ok()) << later.error().message();
  EXPECT_TRUE(later->on_base);
  EXPECT_FALSE(later->base_is_commit);
  EXPECT_EQ(find_landed_merge(root_, "main", id).value(), landed.commit);
  EXPECT_EQ(find_landed_merge(root_, "main", id, 1).value(), std::nullopt);  // past the depth
}

TEST_F(MergeWorkspaceTest, CheckLanded_ReadsTheMovedRefAndAsksGitOnceItIsPacked) {
  auto landed = squashed(story("1_story_a"));
  ASSERT_TRUE(workspace().advance_base(landed.base_commit, landed.commit).ok());
  {
    testing::GitCallLog log;
    auto check = check_landed(root_, "main", landed.commit);
    ASSERT_TRUE(check.ok()) << check.error().message();
    EXPECT_TRUE(check->on_base);
    EXPECT_TRUE(check->base_is_commit);
    EXPECT_THAT(check->changed_files, ElementsAre("a.txt"));
    EXPECT_THAT(log.calls_with("rev-parse"), IsEmpty());  // the loose ref names the commit
  }
  git(root_, {"pack-refs", "--all"});
  auto packed = check_landed(root_, "main", landed.commit);
  ASSERT_TRUE(packed.ok()) << packed.error().message();
  EXPECT_TRUE(packed->base_is_commit);
  EXPECT_EQ(packed->base_head, landed.commit);
  auto short_id = check_landed(root_, "main", landed.commit.substr(0, 12));
  ASSERT_TRUE(short_id.ok()) << short_id.error().message();
  EXPECT_TRUE(short_id->base_is_commit);
}

TEST_F(MergeWorkspaceTest, CheckLanded_ACommitWithoutChangesHasNoChangedFiles) {
  git(root_, {"commit", "-q", "--allow-empty", "-m", "nothing"});
  auto check = check_landed(root_, "main", rev("main"));
  ASSERT_TRUE(check.ok()) << check.error().message();
  EXPECT_TRUE(check->base_is_commit);
  EXPECT_THAT(check->changed_files, IsEmpty());
}

TEST_F(MergeWorkspaceTest, FindLandedMerge_MatchesTheWholeIdOnly) {
  git(root_, {"commit", "-q", "--allow-empty", "-m", "x\n\nStork-Merge: 11_story_a"});
  git(root_, {"commit", "-q", "--allow-empty", "-m", "y\n\nStork-Merge: 1_story_ab"});
  EXPECT_EQ(find_landed_merge(root_, "main", story("1_story_a")).value(), std::nullopt);
  EXPECT_EQ(find_landed_merge(root_, "main", story("11_story_a")).value(), rev("main~1"));
}

TEST_F(MergeWorkspaceTest, DropQueueBranch_DetachesTheWorkspaceAndIsIdempotent) {
  auto id = story("1_story_a");
  auto landed = squashed(id);
  auto ws = workspace();
  ASSERT_EQ(git(ws.path(), {"symbolic-ref", "--short", "HEAD"}), "merge-queue/1_story_a\n");

  auto dropped = ws.drop_queue_branch(id);
  ASSERT_TRUE(dropped.ok()) << dropped.error().message();
  EXPECT_FALSE(branch_exists(root_, "merge-queue/1_story_a").value());
  EXPECT_EQ(rev("HEAD", ws.path()), landed.commit);
  EXPECT_TRUE(ws.drop_queue_branch(id).ok());
  EXPECT_TRUE(ws.reset().ok());
}

TEST_F(MergeWorkspaceTest, DropQueueBranch_WorksWhenTheWorkspaceDirectoryIsGone) {
  auto id = story("1_story_a");
  squashed(id);
  auto ws = workspace();
  fs::remove_all(ws.path());

  auto dropped = ws.drop_queue_branch(id);
  ASSERT_TRUE(dropped.ok()) << dropped.error().message();
  EXPECT_FALSE(branch_exists(root_, "merge-queue/1_story_a").value());
}

}  // namespace
}  // namespace stork
