// QA decisions and merges through the tools, with the real merge queue.
#include <gtest/gtest.h>

#include "support/git_fixture.hpp"
#include "tools_fixture.hpp"

namespace stork::testing {
namespace {

namespace json = boost::json;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class QaMergeToolsTest : public ToolsTest {
 protected:
  void SetUp() override { open_tools(); }
};

TEST_F(QaMergeToolsTest, RequestQa_MovesCodedWorkToQaOnly) {
  add_story(Stage::Current, "1_story_review", {});
  add_story(Stage::Backlog, "2_story_early", {});
  EXPECT_EQ(ok("request_qa", R"({"story_id": "1"})")["stage"], "qa");
  EXPECT_EQ(stage_of("1_story_review"), Stage::Qa);
  const auto early = error("request_qa", R"({"story_id": "2"})");
  EXPECT_TRUE(contains(early, "not 2_current")) << early;
  EXPECT_EQ(stage_of("2_story_early"), Stage::Backlog);
}

TEST_F(QaMergeToolsTest, ApproveQa_SendsTheItemToMergeAndASpikeToDone) {
  add_story(Stage::Qa, "1_story_good", {}, "review_hold: true\n");
  add_story(Stage::Qa, "2_spike_question", {}, "review_hold: true\n");
  auto approved = ok("approve_qa", R"({"story_id": "1"})");
  EXPECT_EQ(approved["review_hold"], false);
  EXPECT_TRUE(has_event("1_story_good", "qa_approved"));
  EXPECT_NE(stage_of("1_story_good"), Stage::Qa);
  (void)ok("approve_qa", R"({"story_id": "2"})");
  EXPECT_EQ(stage_of("2_spike_question"), Stage::Done);
  EXPECT_TRUE(contains(error("approve_qa", R"({"story_id": "1"})"), "not 3_qa"));
}

TEST_F(QaMergeToolsTest, RejectQa_WritesTheNotesAndSendsTheItemBack) {
  add_story(Stage::Qa, "1_story_redo", {}, "review_hold: true\n");
  EXPECT_TRUE(contains(error("reject_qa", R"({"story_id": "1", "notes": "   "})"), "notes"));
  EXPECT_TRUE(contains(error("reject_qa", R"({"story_id": "1"})"), "'notes'"));
  auto rejected = ok("reject_qa", R"({"story_id": "1", "notes": "Handle empty files"})");
  EXPECT_EQ(rejected["stage"], "current");
  const auto text = front_matter("1_story_redo");
  EXPECT_TRUE(contains(text, "## QA Notes\n\nHandle empty files")) << text;
  EXPECT_TRUE(has_event("1_story_redo", "qa_rejected"));
}

TEST_F(QaMergeToolsTest, MergeAgentWork_LandsTheCommittedWorkOnTheBase) {
  add_story(Stage::Current, "1_story_feature", {});
  commit_in_worktree("1_story_feature", "feature.txt");
  auto queued = ok("merge_agent_work", R"({"story_id": "1"})");
  EXPECT_EQ(queued["queue_position"], 0);
  EXPECT_TRUE(contains(std::string(queued["message"].as_string()), "get_merge_status"));
  ASSERT_TRUE(wait_for_stage("1_story_feature", Stage::Done));
  EXPECT_EQ(base_file("feature.txt"), "work of 1_story_feature\n");
  ASSERT_TRUE(eventually([&] {
    auto status = ok("get_merge_status");
    const auto& recent = status["recent"].as_array();
    return status["running"].is_null() && !recent.empty() &&
           recent[0].at("story_id") == "1_story_feature" && recent[0].at("step") == "done";
  }));
  EXPECT_TRUE(contains(error("merge_agent_work", R"({"story_id": "1"})"), "5_done"));
}

TEST_F(QaMergeToolsTest, MoveStoryToMerge_QueuesAMergeThatReportsItsFailure) {
  add_story(Stage::Current, "1_story_empty", {});
  add_story(Stage::Backlog, "2_story_early", {});
  EXPECT_EQ(ok("move_story_to_merge", R"({"story_id": "1"})")["stage"], "merge");
  // No feature branch: the merge fails and says so in the item.
  ASSERT_TRUE(eventually([&] { return contains(front_matter("1_story_empty"), "merge_failure"); },
                         std::chrono::seconds(20)));
  EXPECT_EQ(stage_of("1_story_empty"), Stage::Merge);
  EXPECT_TRUE(contains(error("move_story_to_merge", R"({"story_id": "2"})"), "1_backlog"));
}

TEST_F(QaMergeToolsTest, ReportMergeFailure_RecordsTheReasonOnItemsInMerge) {
  add_story(Stage::Merge, "1_story_conflict", {}, "merge_failure: old\n");
  add_story(Stage::Current, "2_story_coding", {});
  auto reported =
      ok("report_merge_failure", R"({"story_id": "1", "reason": "conflict in src/a.rs"})");
  EXPECT_EQ(reported["merge_failure"], "conflict in src/a.rs");
  EXPECT_TRUE(contains(front_matter("1_story_conflict"), "merge_failure: conflict in src/a.rs"));
  EXPECT_TRUE(
      contains(error("report_merge_failure", R"({"story_id": "2", "reason": "x"})"), "4_merge"));
}

}  // namespace
}  // namespace stork::testing
