// The pipeline's typed errors: every refusal names its kind and carries the facts as fields
// (the story, where the item is, the wrong argument), whatever its message says.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline_fixture.hpp"

namespace stork::testing {
namespace {

using Kind = engine::PipelineError::Kind;

class PipelineErrors : public PipelineTest {};

TEST_F(PipelineErrors, UnknownItemIsNotFoundNamingItAsAsked) {
  open_pipeline();
  auto blocked = run(pipeline_->block("42", "why"));
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().kind, Kind::NotFound);
  EXPECT_EQ(blocked.error().story, "42");
}

TEST_F(PipelineErrors, ApprovingAnItemOutsideQaIsWrongStageSayingWhereItIs) {
  add_item(Stage::Backlog, "1_story_waiting");
  open_pipeline();
  auto approved = run(pipeline_->approve_qa("1"));
  ASSERT_FALSE(approved.ok());
  EXPECT_EQ(approved.error().kind, Kind::WrongStage);
  EXPECT_EQ(approved.error().story, "1_story_waiting");
  EXPECT_EQ(approved.error().stage, Stage::Backlog);
}

TEST_F(PipelineErrors, IllegalManualMoveIsWrongStageSayingWhereItIs) {
  add_item(Stage::Backlog, "1_story_waiting");
  open_pipeline();
  auto moved = run(pipeline_->move("1_story_waiting", Stage::Done));
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().kind, Kind::WrongStage);
  EXPECT_EQ(moved.error().stage, Stage::Backlog);
  EXPECT_EQ(stage_of("1_story_waiting"), Stage::Backlog);
}

TEST_F(PipelineErrors, CompletionOfABlockedItemIsWrongStage) {
  add_item(Stage::Current, "1_story_held", "blocked: true\n");
  open_pipeline();
  auto answer = run(pipeline_->report_completion("1", "coder-1"));
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().kind, Kind::WrongStage);
  EXPECT_EQ(answer.error().story, "1_story_held");
  EXPECT_EQ(answer.error().stage, Stage::Current);
}

TEST_F(PipelineErrors, RejectionWithoutNotesIsInvalidInputNamingNotes) {
  add_item(Stage::Qa, "1_story_review", "review_hold: true\n");
  open_pipeline();
  auto rejected = run(pipeline_->reject_qa("1", "  \n"));
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().kind, Kind::InvalidInput);
  EXPECT_EQ(rejected.error().field, "notes");
  EXPECT_EQ(rejected.error().story, "1_story_review");
  EXPECT_EQ(stage_of("1_story_review"), Stage::Qa);
}

TEST_F(PipelineErrors, MergeFailureWithoutReasonIsInvalidInputNamingReason) {
  add_item(Stage::Merge, "1_story_held", "blocked: true\n");
  open_pipeline();
  auto reported = run(pipeline_->report_merge_failure("1", ""));
  ASSERT_FALSE(reported.ok());
  EXPECT_EQ(reported.error().kind, Kind::InvalidInput);
  EXPECT_EQ(reported.error().field, "reason");
}

TEST_F(PipelineErrors, NewItemWithoutNameOrWithUnknownDependencyNamesTheField) {
  open_pipeline();
  NewItem nameless;
  nameless.name = " ";
  auto created = run(pipeline_->create_item(nameless));
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().kind, Kind::InvalidInput);
  EXPECT_EQ(created.error().field, "name");
  NewItem orphan;
  orphan.name = "needs something";
  orphan.depends_on = {"77"};
  created = run(pipeline_->create_item(orphan));
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().kind, Kind::InvalidInput);
  EXPECT_EQ(created.error().field, "depends_on");
}

TEST_F(PipelineErrors, SecondCompletionCheckOfAnItemIsBusy) {
  add_item(Stage::Current, "1_story_x");
  // A coder that commits and keeps running, and a gate that takes a while: two reports of the
  // same work overlap, and one of them is told the other's check is running.
  const auto committed = root() / "attempts" / "1_story_x.committed";  // outside the worktree
  const auto script = "echo x > x.txt && git add -A && git commit -qm work && touch " +
                      committed.string() + " && sleep 30";
  open_pipeline({TestAgent{"coder-1", "coder", script}}, "gate_command = \"sleep 1\"");
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(committed); }));
  auto first = spawn(pipeline_->report_completion("1_story_x", "coder-1"));
  auto second = spawn(pipeline_->report_completion("1_story_x", "coder-1"));
  int busy = 0;
  auto count_busy =
      [&](const std::optional<engine::PipelineResult<engine::CompletionOutcome>>& answer) {
        ASSERT_TRUE(answer.has_value());
        if (answer->ok()) return;
        EXPECT_EQ(answer->error().kind, Kind::Busy);
        EXPECT_EQ(answer->error().story, "1_story_x");
        ++busy;
      };
  count_busy(first.get());
  count_busy(second.get());
  EXPECT_EQ(busy, 1);
}

}  // namespace
}  // namespace stork::testing
