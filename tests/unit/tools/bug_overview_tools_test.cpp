// Bug tools and the whole-project views (validate_stories, status, get_pipeline_status).
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "support/git_fixture.hpp"
#include "tools_fixture.hpp"

namespace stork::testing {
namespace {

namespace json = boost::json;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class BugToolsTest : public ToolsTest {
 protected:
  void SetUp() override { open_tools(); }
};

TEST_F(BugToolsTest, CreateBug_WritesABugWithWhatTheReporterKnows) {
  auto created = ok("create_bug", R"({"name": "Export drops last row",
      "description": "The CSV misses a row", "steps_to_reproduce": "1. export 3 rows",
      "expected_result": "3 rows", "acceptance_criteria": ["3 rows exported"]})");
  EXPECT_EQ(created["id"], "1_bug_export_drops_last_row");
  EXPECT_EQ(created["type"], "bug");
  const auto text = front_matter("1_bug_export_drops_last_row");
  EXPECT_TRUE(contains(text, "## Description")) << text;
  EXPECT_TRUE(contains(text, "1. export 3 rows")) << text;
  EXPECT_TRUE(contains(text, "**Expected result:**")) << text;
  EXPECT_FALSE(contains(text, "**Actual result:**")) << text;
  EXPECT_TRUE(contains(text, "- [ ] 3 rows exported")) << text;
  EXPECT_EQ(git(root(), {"log", "-1", "--format=%s"}),
            "storkit: create 1_bug_export_drops_last_row\n");
  EXPECT_TRUE(contains(error("create_bug", R"({"name": "x"})"), "'description'"));
}

TEST_F(BugToolsTest, ListBugs_ListsOpenBugsAndClosedOnesOnRequest) {
  add_story(Stage::Backlog, "1_bug_open", {});
  add_story(Stage::Backlog, "2_story_not_a_bug", {});
  add_story(Stage::Done, "3_bug_fixed", {});
  auto open = ok("list_bugs");
  ASSERT_EQ(open["bugs"].as_array().size(), 1u);
  EXPECT_EQ(open["bugs"].as_array()[0].at("id"), "1_bug_open");
  auto all = ok("list_bugs", R"({"include_closed": true})");
  ASSERT_EQ(all["bugs"].as_array().size(), 2u);
  EXPECT_EQ(all["bugs"].as_array()[1].at("closed"), true);
}

TEST_F(BugToolsTest, CloseBug_MovesABugInMergeToDoneWithItsReason) {
  // merge_failure keeps the merge queue away from it.
  add_story(Stage::Merge, "1_bug_wontfix", {}, "merge_failure: nothing to merge\n");
  auto closed = ok("close_bug", R"({"story_id": "1", "reason": "duplicate of 7"})");
  EXPECT_EQ(closed["stage"], "done");
  EXPECT_EQ(stage_of("1_bug_wontfix"), Stage::Done);
  EXPECT_TRUE(contains(front_matter("1_bug_wontfix"), "closed_reason: duplicate of 7"));
  EXPECT_EQ(git(root(), {"log", "-1", "--format=%s"}), "storkit: done 1_bug_wontfix\n");
  EXPECT_EQ(ok("close_bug", R"({"story_id": "1", "reason": "again"})")["already_closed"], true);
}

TEST_F(BugToolsTest, CloseBug_RefusesStoriesAndBugsThePipelineCannotCloseYet) {
  add_story(Stage::Merge, "1_story_feature", {}, "merge_failure: x\n");
  add_story(Stage::Backlog, "2_bug_new", {});
  const auto story = error("close_bug", R"({"story_id": "1", "reason": "done"})");
  EXPECT_TRUE(contains(story, "is a story, not a bug")) << story;
  const auto early = error("close_bug", R"({"story_id": "2", "reason": "done"})");
  EXPECT_TRUE(contains(early, "cannot move an item from 1_backlog to 5_done")) << early;
  EXPECT_FALSE(contains(front_matter("2_bug_new"), "closed_reason"));
  EXPECT_EQ(stage_of("1_story_feature"), Stage::Merge);
}

TEST_F(BugToolsTest, ValidateStories_ReportsEveryKindOfProblem) {
  EXPECT_EQ(ok("validate_stories")["valid"], true);
  add_story(Stage::Backlog, "1_story_fine", {});
  add_story(Stage::Backlog, "2_story_bad_fields", {}, "retry_count: many\nagent: ghost\n");
  add_story(Stage::Backlog, "3_story_orphan", {}, "depends_on: [99]\n");
  add_story(Stage::Done, "3_story_twin", {});
  write_text(root() / ".storkit/work/1_backlog/4_story_broken.md", "---\nname: [oops\n---\n");
  auto report = ok("validate_stories");
  EXPECT_EQ(report["valid"], false);
  const auto text = json::serialize(report["problems"]);
  EXPECT_TRUE(contains(text, "retry_count")) << text;
  EXPECT_TRUE(contains(text, "prefers agent 'ghost'")) << text;
  EXPECT_TRUE(contains(text, "depends on '99'")) << text;
  EXPECT_TRUE(contains(text, "number 3 is used twice")) << text;
  EXPECT_TRUE(contains(text, "4_story_broken.md")) << text;
  EXPECT_FALSE(contains(text, "1_story_fine")) << text;
}

TEST_F(BugToolsTest, Status_CountsStagesOrDescribesOneItem) {
  add_story(Stage::Backlog, "1_story_a", {"x"});
  add_story(Stage::Backlog, "2_story_b", {}, "blocked: true\n");
  add_story(Stage::Done, "3_story_c", {});
  auto overall = ok("status");
  EXPECT_EQ(overall["stages"].at("backlog"), 2);
  EXPECT_EQ(overall["stages"].at("done"), 1);
  EXPECT_EQ(overall["blocked_or_failed"], 1);
  EXPECT_TRUE(overall["active_agents"].as_array().empty());
  EXPECT_TRUE(overall["merge"].at("queued").as_array().empty());

  auto one = ok("status", R"({"story_id": "1"})");
  EXPECT_EQ(one["id"], "1_story_a");
  EXPECT_EQ(one["criteria"].as_array().size(), 1u);
  EXPECT_TRUE(one["runs"].as_array().empty());
  EXPECT_TRUE(contains(error("status", R"({"story_id": "../../etc"})"), "invalid story id"));
}

TEST_F(BugToolsTest, GetPipelineStatus_ListsEveryStageWithItsItems) {
  add_story(Stage::Backlog, "1_story_a", {});
  add_story(Stage::Qa, "2_story_b", {}, "review_hold: true\n");
  auto status = ok("get_pipeline_status");
  const auto& stages = status["stages"].as_object();
  EXPECT_EQ(stages.size(), 6u);
  EXPECT_EQ(stages.at("backlog").as_array().size(), 1u);
  ASSERT_EQ(stages.at("qa").as_array().size(), 1u);
  EXPECT_EQ(stages.at("qa").as_array()[0].at("review_hold"), true);
  EXPECT_TRUE(status["merge"].is_object());
  EXPECT_TRUE(status["active_agents"].is_array());
}

}  // namespace
}  // namespace stork::testing
