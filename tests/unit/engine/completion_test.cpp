// The completion of a coder's work, end to end on real git repositories and scripted command
// agents: gate pass and fail, retry then block, zero-commit and uncommitted-changes rejection,
// and each QA mode.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline_fixture.hpp"

namespace stork::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

class Completion : public PipelineTest {};

TEST_F(Completion, GatePassWithServerQaMergesTheWorkToDone) {
  add_item(Stage::Current, "1_story_ok");
  open_pipeline();
  ASSERT_TRUE(wait_for_stage("1_story_ok", Stage::Done)) << front_matter("1_story_ok");
  EXPECT_EQ(base_file("1_story_ok.txt"), "work of 1_story_ok\n");
  EXPECT_EQ(attempts("1_story_ok"), 1);
  EXPECT_TRUE(eventually([&] { return has_event("1_story_ok", "merged"); }));
  EXPECT_THAT(event_types("1_story_ok"), Contains("gate_passed"));
  // The worktree and the feature branch are gone once the code has landed.
  EXPECT_TRUE(eventually(
      [&] { return !std::filesystem::exists(root() / ".storkit/worktrees/1_story_ok"); }));
  EXPECT_EQ(git(root(), {"branch", "--list", "feature/story-1_story_ok"}), "");
}

TEST_F(Completion, GateFailureRestartsTheCoderWithTheGateOutput) {
  add_item(Stage::Current, "1_story_flaky");
  open_pipeline();
  ASSERT_TRUE(wait_for_stage("1_story_flaky", Stage::Done, std::chrono::seconds(30)))
      << front_matter("1_story_flaky");
  EXPECT_EQ(attempts("1_story_flaky"), 2);
  EXPECT_THAT(prompt("1_story_flaky"), HasSubstr("gate: broken files"));
  EXPECT_THAT(front_matter("1_story_flaky"), HasSubstr("retry_count: 1"));
  EXPECT_EQ(base_file("1_story_flaky.txt"), "fixed 1_story_flaky\n");
  auto types = event_types("1_story_flaky");
  EXPECT_THAT(types, Contains("gate_failed"));
  EXPECT_THAT(types, Contains("retry"));
}

TEST_F(Completion, RetriesExhaustedBlockTheItemWithTheReason) {
  add_item(Stage::Current, "1_story_broken");
  open_pipeline({}, "max_retries = 1");
  ASSERT_TRUE(eventually(
      [&] { return front_matter("1_story_broken").find("blocked: true") != std::string::npos; },
      std::chrono::seconds(30)))
      << front_matter("1_story_broken");
  EXPECT_EQ(stage_of("1_story_broken"), Stage::Current);
  EXPECT_EQ(attempts("1_story_broken"), 2);  // one attempt, one retry
  EXPECT_THAT(front_matter("1_story_broken"), HasSubstr("the gate failed (exit code 1)"));
  EXPECT_THAT(front_matter("1_story_broken"), HasSubstr("2 of 2 failed; max_retries = 1"));
  // Blocked items are not given to a coder again: a reconcile, finished, started nobody.
  run(pipeline_->reconcile());
  ASSERT_TRUE(wait_until_idle());
  EXPECT_EQ(active_runs("1_story_broken"), 0);
  EXPECT_EQ(attempts("1_story_broken"), 2);
  EXPECT_EQ(base_file("1_story_broken.txt"), "");
}

TEST_F(Completion, ZeroCommitWorkNeverPasses) {
  add_item(Stage::Current, "1_story_lazy");
  open_pipeline({}, "max_retries = 0");
  ASSERT_TRUE(eventually([&] {
    return front_matter("1_story_lazy").find("blocked: true") != std::string::npos;
  })) << front_matter("1_story_lazy");
  EXPECT_THAT(front_matter("1_story_lazy"), HasSubstr("no commit ahead of main"));
  const auto types = event_types("1_story_lazy");
  ASSERT_THAT(types, Contains("completion_rejected"));
  EXPECT_THAT(types, Not(Contains("gate_started")));
  EXPECT_EQ(stage_of("1_story_lazy"), Stage::Current);
}

TEST_F(Completion, UncommittedChangesAreRejectedNamingTheFile) {
  add_item(Stage::Current, "1_story_messy");
  open_pipeline({}, "max_retries = 0");
  ASSERT_TRUE(eventually([&] {
    return front_matter("1_story_messy").find("blocked: true") != std::string::npos;
  })) << front_matter("1_story_messy");
  EXPECT_THAT(front_matter("1_story_messy"), HasSubstr("uncommitted changes (1_story_messy.txt)"));
  const auto types = event_types("1_story_messy");
  ASSERT_THAT(types, Contains("completion_rejected"));
  EXPECT_THAT(types, Not(Contains("gate_started")));
}

TEST_F(Completion, HumanQaHoldsTheItemInQaUntilApproved) {
  add_item(Stage::Current, "1_story_ok", "qa: human\n");
  open_pipeline();
  ASSERT_TRUE(wait_for_stage("1_story_ok", Stage::Qa)) << front_matter("1_story_ok");
  EXPECT_THAT(front_matter("1_story_ok"), HasSubstr("review_hold: true"));
  // Nobody merges it behind the person's back: a reconcile, finished, leaves it in QA.
  run(pipeline_->reconcile());
  ASSERT_TRUE(wait_until_idle());
  EXPECT_EQ(stage_of("1_story_ok"), Stage::Qa);
  EXPECT_THAT(event_types("1_story_ok"), Not(Contains("merge_queued")));
  auto approved = run(pipeline_->approve_qa("1_story_ok"));
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  ASSERT_TRUE(wait_for_stage("1_story_ok", Stage::Done));
  EXPECT_THAT(front_matter("1_story_ok"), Not(HasSubstr("review_hold: true")));
  EXPECT_EQ(base_file("1_story_ok.txt"), "work of 1_story_ok\n");
}

TEST_F(Completion, RejectedQaGoesBackToCurrentWithTheNotesForTheCoder) {
  add_item(Stage::Current, "1_story_ok", "qa: human\n");
  open_pipeline();
  ASSERT_TRUE(wait_for_stage("1_story_ok", Stage::Qa));
  auto rejected = run(pipeline_->reject_qa("1_story_ok", "Please also handle empty input."));
  ASSERT_TRUE(rejected.ok()) << rejected.error().message;
  EXPECT_THAT(front_matter("1_story_ok"),
              HasSubstr("## QA Notes\n\nPlease also handle empty input."));
  // A coder takes it again and, passing the gate, it comes back to QA.
  ASSERT_TRUE(eventually([&] { return attempts("1_story_ok") == 2; }));
  ASSERT_TRUE(wait_for_stage("1_story_ok", Stage::Qa));
  EXPECT_THAT(event_types("1_story_ok"), Contains("qa_rejected"));
  // The coder's next start opens with the notes in its <recent-events> block, which is all a
  // resumed session is sent besides the resume context (the item text is not sent again).
  EXPECT_THAT(prompt("1_story_ok"),
              HasSubstr("QA sent the item back with these notes: Please also handle empty "
                        "input."));
}

TEST_F(Completion, AgentQaStartsTheQaAgentOnTheItem) {
  add_item(Stage::Current, "1_story_ok", "qa: agent\n");
  open_pipeline({coder(), TestAgent{"qa", "qa", "touch \"$STORK_STORY_ID.reviewed\"; sleep 5"}});
  ASSERT_TRUE(wait_for_stage("1_story_ok", Stage::Qa));
  ASSERT_TRUE(eventually([&] {
    for (const auto& info : run(pool_->list_agents())) {
      if (info.agent_name == "qa" && info.story_id == "1_story_ok" &&
          info.status == agents::AgentStatus::Running)
        return true;
    }
    return false;
  }));
  EXPECT_THAT(front_matter("1_story_ok"), Not(HasSubstr("review_hold: true")));
  auto approved = run(pipeline_->approve_qa("1_story_ok"));
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  ASSERT_TRUE(wait_for_stage("1_story_ok", Stage::Done));
}

TEST_F(Completion, QaAgentThatEndsWithoutDecidingHandsTheItemToAPerson) {
  add_item(Stage::Current, "1_story_ok", "qa: agent\n");
  open_pipeline({coder(), TestAgent{"qa", "qa", "exit 0"}});
  ASSERT_TRUE(eventually([&] {
    return front_matter("1_story_ok").find("review_hold: true") != std::string::npos;
  })) << front_matter("1_story_ok");
  EXPECT_EQ(stage_of("1_story_ok"), Stage::Qa);
}

TEST_F(Completion, SpikeStopsForAPersonAndNeverMerges) {
  add_item(Stage::Current, "1_spike_ok");
  open_pipeline();
  ASSERT_TRUE(wait_for_stage("1_spike_ok", Stage::Qa));
  EXPECT_THAT(front_matter("1_spike_ok"), HasSubstr("review_hold: true"));
  auto merged = run(pipeline_->merge("1_spike_ok"));
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.error().kind, engine::PipelineError::Kind::InvalidInput);
  EXPECT_EQ(merged.error().story, "1_spike_ok");
  auto moved = run(pipeline_->move("1_spike_ok", Stage::Merge));
  ASSERT_FALSE(moved.ok());
  EXPECT_THAT(moved.error().message, HasSubstr("spikes never merge"));
  EXPECT_EQ(stage_of("1_spike_ok"), Stage::Qa);
  // Approving a spike is the legal way out of QA: to done, committed, never merged.
  auto approved = run(pipeline_->approve_qa("1_spike_ok"));
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  EXPECT_EQ(stage_of("1_spike_ok"), Stage::Done);
  EXPECT_EQ(base_file("1_spike_ok.txt"), "");
  EXPECT_NE(git(root(), {"log", "--oneline", "-1", "--", ".storkit/work/5_done/1_spike_ok.md"}),
            "");
  EXPECT_THAT(event_types("1_spike_ok"), Not(Contains("merged")));
}

TEST_F(Completion, ReportCompletionRunsTheSameChecksAndAnswers) {
  add_item(Stage::Current, "1_story_x");
  open_pipeline({TestAgent{"coder-1", "coder", "sleep 30"}});
  ASSERT_TRUE(eventually([&] {
    auto agents = run(pool_->list_agents());
    return !agents.empty() && agents[0].status == agents::AgentStatus::Running;
  }));
  auto answer = run(pipeline_->report_completion("1_story_x", "coder-1"));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_FALSE(answer.value().passed);
  EXPECT_THAT(answer.value().summary, HasSubstr("no commit ahead of main"));
  EXPECT_THAT(answer.value().summary, HasSubstr("retry 1 of 2"));
  auto elsewhere = run(pipeline_->report_completion("99", "coder-1"));
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.error().kind, engine::PipelineError::Kind::NotFound);
  EXPECT_EQ(elsewhere.error().story, "99");
}

}  // namespace
}  // namespace stork::testing
