// The merge queue on real repositories: conflicts flagged with their paths and recovered after
// the branch is fixed, the gate on the merged tree, and the user's checkout of the base branch.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline_fixture.hpp"

namespace stork::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

class Merge : public PipelineTest {};

TEST_F(Merge, ConflictIsFlaggedWithThePathAndMergesOnceTheBranchIsFixed) {
  add_item(Stage::Current, "1_story_conflict_a");
  open_pipeline();
  ASSERT_TRUE(wait_for_stage("1_story_conflict_a", Stage::Done));
  EXPECT_EQ(base_file("shared.txt"), "1_story_conflict_a\nline two\n");

  // The second branch was cut from the old base (the fixture's commit) and edits the same line.
  const auto old_base = git(root(), {"rev-parse", ":/gate and shared file"});
  git(root(), {"branch", "feature/story-2_story_conflict_b", old_base.substr(0, 40)});
  add_item(Stage::Current, "2_story_conflict_b");
  ASSERT_TRUE(eventually(
      [&] { return front_matter("2_story_conflict_b").find("merge_failure") != std::string::npos; },
      std::chrono::seconds(20)))
      << front_matter("2_story_conflict_b");
  EXPECT_EQ(stage_of("2_story_conflict_b"), Stage::Merge);
  EXPECT_THAT(front_matter("2_story_conflict_b"), HasSubstr("shared.txt"));
  EXPECT_EQ(base_file("shared.txt"), "1_story_conflict_a\nline two\n");  // base untouched

  // A person (or a mergemaster) resolves it on the feature branch and asks again.
  const auto worktree = root() / ".storkit/worktrees/2_story_conflict_b";
  git(worktree, {"merge", "-q", "main", "-X", "theirs", "-m", "merge main"});
  write_text(worktree / "b.txt", "second\n");
  git(worktree, {"add", "b.txt"});
  git(worktree, {"commit", "-qm", "resolve"});
  auto queued = run(pipeline_->merge("2_story_conflict_b"));
  ASSERT_TRUE(queued.ok()) << queued.error().message;
  ASSERT_TRUE(wait_for_stage("2_story_conflict_b", Stage::Done))
      << front_matter("2_story_conflict_b");
  EXPECT_EQ(base_file("b.txt"), "second\n");
  EXPECT_THAT(front_matter("2_story_conflict_b"), ::testing::Not(HasSubstr("merge_failure")));
}

TEST_F(Merge, MergedTreeFailingTheGateStaysInMergeWithTheOutput) {
  add_item(Stage::Current, "1_story_ok");
  open_pipeline();
  ASSERT_TRUE(wait_for_stage("1_story_ok", Stage::Done));
  ASSERT_TRUE(
      eventually([&] { return has_event("1_story_ok", "merged") && run(pipeline_->idle()); }));
  // A branch that passes the gate alone, merged onto a base that was broken meanwhile.
  git(root(), {"checkout", "-qb", "feature/story-2_story_manual", "main"});
  write_text(root() / "two.txt", "two\n");
  git(root(), {"add", "two.txt"});
  git(root(), {"commit", "-qm", "two"});
  git(root(), {"checkout", "-q", "main"});
  write_text(root() / "base.txt", "BROKEN on main\n");
  git(root(), {"add", "base.txt"});
  git(root(), {"commit", "-qm", "someone breaks main"});
  add_item(Stage::Merge, "2_story_manual");
  ASSERT_TRUE(eventually([&] {
    return front_matter("2_story_manual").find("merge_failure") != std::string::npos;
  })) << front_matter("2_story_manual");
  EXPECT_THAT(front_matter("2_story_manual"), HasSubstr("gate failed on the merged tree"));
  EXPECT_EQ(stage_of("2_story_manual"), Stage::Merge);
  EXPECT_EQ(base_file("two.txt"), "");
}

TEST_F(Merge, CleanCheckoutOfTheBaseIsUpdatedAndLocalChangesSurvive) {
  write_text(root() / "notes.md", "mine\n");
  git(root(), {"add", "notes.md"});
  git(root(), {"commit", "-qm", "notes"});
  write_text(root() / "notes.md", "mine, edited but not committed\n");
  add_item(Stage::Current, "1_story_ok");
  open_pipeline();
  ASSERT_TRUE(wait_for_stage("1_story_ok", Stage::Done));
  // The merge came into the checkout, and the user's edit is still there, byte for byte.
  EXPECT_EQ(read_text(root() / "1_story_ok.txt"), "work of 1_story_ok\n");
  EXPECT_EQ(read_text(root() / "notes.md"), "mine, edited but not committed\n");
}

TEST_F(Merge, HeldItemWaitsInMergeUntilAMergeRequestClearsTheHold) {
  git(root(), {"checkout", "-qb", "feature/story-1_story_held", "main"});
  write_text(root() / "held.txt", "held\n");
  git(root(), {"add", "held.txt"});
  git(root(), {"commit", "-qm", "held work"});
  git(root(), {"checkout", "-q", "main"});
  add_item(Stage::Merge, "1_story_held", "blocked: true\n");
  open_pipeline();
  // The queue passes held items by: after a finished reconcile nothing was queued or merged.
  run(pipeline_->reconcile());
  ASSERT_TRUE(wait_until_idle());
  EXPECT_THAT(event_types("1_story_held"), ::testing::Not(Contains("merge_queued")));
  EXPECT_EQ(base_file("held.txt"), "");
  auto queued = run(pipeline_->merge("1"));
  ASSERT_TRUE(queued.ok()) << queued.error().message;
  EXPECT_EQ(queued.value(), 0u);  // nothing ahead of it
  ASSERT_TRUE(wait_for_stage("1_story_held", Stage::Done)) << front_matter("1_story_held");
  EXPECT_EQ(base_file("held.txt"), "held\n");
  EXPECT_THAT(front_matter("1_story_held"), ::testing::Not(HasSubstr("blocked: true")));
  EXPECT_TRUE(eventually([&] { return has_event("1_story_held", "merged"); }));
  EXPECT_THAT(event_types("1_story_held"), Contains("merge_queued"));
}

TEST_F(Merge, MergeQueueRunsOneMergeAtATimeInOrder) {
  add_item(Stage::Current, "1_story_ok1");
  add_item(Stage::Current, "2_story_ok2");
  add_item(Stage::Current, "3_story_ok3");
  open_pipeline({coder("coder-1"), coder("coder-2"), coder("coder-3")});
  for (const auto* id : {"1_story_ok1", "2_story_ok2", "3_story_ok3"})
    ASSERT_TRUE(wait_for_stage(id, Stage::Done, std::chrono::seconds(30))) << id;
  // Three squash commits on main, one per item, each exactly once.
  auto log = git(root(), {"log", "--format=%s", "main"});
  for (const auto* id : {"1_story_ok1", "2_story_ok2", "3_story_ok3"}) {
    auto first = log.find(std::string("storkit: merge ") + id);
    ASSERT_NE(first, std::string::npos) << log;
    EXPECT_EQ(log.find(std::string("storkit: merge ") + id, first + 1), std::string::npos) << log;
  }
  for (const auto* id : {"1_story_ok1", "2_story_ok2", "3_story_ok3"})
    ASSERT_TRUE(eventually([&] { return has_event(id, "merged"); })) << id;
  auto status = run(pipeline_->merge_status());
  EXPECT_FALSE(status.running.has_value());
  EXPECT_TRUE(status.queued.empty());
  EXPECT_EQ(status.recent.size(), 3u);
}

}  // namespace
}  // namespace stork::testing
