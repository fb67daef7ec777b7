// Story tools on a real project: each writes through the pipeline and the effect is checked in
// the item files and git; each refuses bad ids and wrong stages with a message to act on.
#include <gtest/gtest.h>

#include "support/git_fixture.hpp"
#include "tools_fixture.hpp"
#include "work/stage_store.hpp"

namespace stork::testing {
namespace {

namespace json = boost::json;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class StoryToolsTest : public ToolsTest {
 protected:
  void SetUp() override { open_tools(); }
};

TEST_F(StoryToolsTest, CreateStory_WritesACommittedBacklogItemWithEveryField) {
  // A dependency not done yet: one that is would promote the new item to 2_current at once.
  add_story(Stage::Backlog, "3_story_accounts", {});
  auto created = ok("create_story", R"({"name": "Add CSV export",
      "user_story": "As a user I want a CSV", "acceptance_criteria": ["A button", "A file"],
      "depends_on": ["3"], "agent": "helper", "qa": "human"})");
  EXPECT_EQ(created["id"], "4_story_add_csv_export");
  EXPECT_EQ(created["stage"], "backlog");
  EXPECT_EQ(created["criteria_total"], 2);
  EXPECT_EQ(created["qa"], "human");
  const auto text = front_matter("4_story_add_csv_export");
  EXPECT_TRUE(contains(text, "As a user I want a CSV")) << text;
  EXPECT_TRUE(contains(text, "- [ ] A file")) << text;
  EXPECT_TRUE(contains(text, "3_story_accounts")) << text;
  EXPECT_EQ(git(root(), {"log", "-1", "--format=%s"}), "storkit: create 4_story_add_csv_export\n");
  EXPECT_TRUE(has_event("4_story_add_csv_export", "created"));
}

TEST_F(StoryToolsTest, CreateStory_RefusesUnknownAgentsMissingNamesAndUnknownDependencies) {
  EXPECT_TRUE(contains(error("create_story", R"({"name": "x", "agent": "nobody"})"),
                       "no agent named 'nobody'"));
  EXPECT_TRUE(contains(error("create_story", R"({"user_story": "x"})"), "'name'"));
  EXPECT_TRUE(contains(error("create_story", R"({"name": "x", "qa": "sometimes"})"), "'qa'"));
  EXPECT_FALSE(error("create_story", R"({"name": "x", "depends_on": ["77"]})").empty());
  EXPECT_TRUE(StageStore(root()).scan().entries.empty());
}

TEST_F(StoryToolsTest, ListUpcoming_ListsCurrentThenBacklogWithFlags) {
  add_story(Stage::Backlog, "1_story_later", {"a"});
  add_story(Stage::Current, "2_story_now", {}, "blocked: true\nblocked_reason: flaky\n");
  add_story(Stage::Done, "3_story_finished", {});
  auto listed = ok("list_upcoming");
  const auto& items = listed["items"].as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("id"), "2_story_now");
  EXPECT_EQ(items[0].at("blocked"), true);
  EXPECT_EQ(items[0].at("blocked_reason"), "flaky");
  EXPECT_EQ(items[1].at("id"), "1_story_later");
  EXPECT_EQ(items[1].at("criteria_total"), 1);
}

TEST_F(StoryToolsTest, StoryIds_RefusePathsAndNameWhereToLookForUnknownOnes) {
  const auto path_like = error("get_story_todos", R"({"story_id": "../x"})");
  EXPECT_TRUE(contains(path_like, "invalid story id '../x'")) << path_like;
  const auto unknown = error("get_story_todos", R"({"story_id": "99"})");
  EXPECT_TRUE(contains(unknown, "no work item '99'")) << unknown;
  EXPECT_TRUE(contains(unknown, "list_upcoming")) << unknown;
  EXPECT_TRUE(contains(error("get_story_todos", R"({"story_id": 5})"), "expected string"));
  EXPECT_TRUE(contains(error("move_story", R"({"story_id": "1_story_../../etc", "stage": "qa"})"),
                       "invalid story id"));
}

TEST_F(StoryToolsTest, CheckCriterion_TicksTheBoxOnDiskAndRefusesAMissingIndex) {
  add_story(Stage::Backlog, "1_story_todo", {"first", "second"});
  auto todos = ok("get_story_todos", R"({"story_id": "1"})");
  ASSERT_EQ(todos["criteria"].as_array().size(), 2u);
  EXPECT_EQ(todos["criteria"].as_array()[1].at("checked"), false);

  auto checked = ok("check_criterion", R"({"story_id": "1", "index": 1})");
  EXPECT_EQ(checked["criteria"].as_array()[1].at("checked"), true);
  EXPECT_TRUE(contains(front_matter("1_story_todo"), "- [x] second"));
  EXPECT_TRUE(contains(front_matter("1_story_todo"), "- [ ] first"));

  ok("check_criterion", R"({"story_id": "1_story_todo", "index": 1, "checked": false})");
  EXPECT_TRUE(contains(front_matter("1_story_todo"), "- [ ] second"));
  const auto missing = error("check_criterion", R"({"story_id": "1", "index": 5})");
  EXPECT_TRUE(contains(missing, "no criterion 5 (it has 2")) << missing;
  EXPECT_TRUE(contains(error("check_criterion", R"({"story_id": "1", "index": -1})"), "index"));
}

TEST_F(StoryToolsTest, UpdateStory_ChangesOnlyTheGivenFieldsAndNullClears) {
  add_story(Stage::Done, "1_story_base", {});
  add_story(Stage::Backlog, "2_story_edit", {"keep me"}, "agent: helper\nqa: human\ncustom: 7\n");
  auto updated = ok("update_story", R"({"story_id": "2", "name": "Renamed", "agent": null,
      "depends_on": ["1"], "manual_qa": true})");
  EXPECT_EQ(updated["name"], "Renamed");
  EXPECT_EQ(updated["agent"], nullptr);
  EXPECT_EQ(updated["qa"], "human");
  EXPECT_EQ(updated["manual_qa"], true);
  EXPECT_EQ(updated["depends_on"].as_array().at(0), "1_story_base");
  const auto text = front_matter("2_story_edit");
  EXPECT_TRUE(contains(text, "custom: 7")) << text;
  EXPECT_TRUE(contains(text, "- [ ] keep me")) << text;
  EXPECT_FALSE(contains(text, "agent:")) << text;

  auto cleared = ok("update_story", R"({"story_id": "2", "qa": null, "depends_on": []})");
  EXPECT_EQ(cleared["qa"], nullptr);
  EXPECT_TRUE(cleared["depends_on"].as_array().empty());
  EXPECT_TRUE(has_event("2_story_edit", "item_changed"));
}

TEST_F(StoryToolsTest, UpdateStory_RefusesEmptyUpdatesUnknownDependenciesAndAgents) {
  add_story(Stage::Backlog, "1_story_edit", {});
  const auto before = front_matter("1_story_edit");
  EXPECT_TRUE(contains(error("update_story", R"({"story_id": "1"})"), "nothing to change"));
  EXPECT_TRUE(contains(error("update_story", R"({"story_id": "1", "depends_on": ["42"]})"),
                       "depends_on: no work item '42'"));
  EXPECT_TRUE(
      contains(error("update_story", R"({"story_id": "1", "depends_on": ["1"]})"), "itself"));
  EXPECT_TRUE(contains(error("update_story", R"({"story_id": "1", "agent": "ghost"})"),
                       "no agent named 'ghost'"));
  EXPECT_TRUE(contains(error("update_story", R"({"story_id": "1", "colour": "red"})"), "colour"));
  EXPECT_EQ(front_matter("1_story_edit"), before);
}

TEST_F(StoryToolsTest, MoveStory_MovesByEitherStageNameAndRefusesIllegalMoves) {
  add_story(Stage::Backlog, "1_story_move", {});
  auto moved = ok("move_story", R"({"story_id": "1", "stage": "2_current"})");
  EXPECT_EQ(moved["from"], "backlog");
  EXPECT_EQ(moved["stage"], "current");
  EXPECT_EQ(stage_of("1_story_move"), Stage::Current);
  ok("move_story", R"({"story_id": "1", "stage": "backlog"})");
  EXPECT_EQ(stage_of("1_story_move"), Stage::Backlog);

  const auto illegal = error("move_story", R"({"story_id": "1", "stage": "done"})");
  EXPECT_TRUE(contains(illegal, "cannot move an item from 1_backlog to 5_done")) << illegal;
  EXPECT_TRUE(contains(error("move_story", R"({"story_id": "1", "stage": "limbo"})"), "stage"));
  EXPECT_EQ(stage_of("1_story_move"), Stage::Backlog);
}

TEST_F(StoryToolsTest, RecordTests_WritesTheResultsIntoTheItem) {
  add_story(Stage::Backlog, "1_story_tested", {});
  auto recorded =
      ok("record_tests", R"({"story_id": "1", "passed": 12, "failed": 1, "summary": "parse_csv"})");
  EXPECT_EQ(recorded["all_passed"], false);
  EXPECT_TRUE(contains(front_matter("1_story_tested"),
                       "test_results: \"passed 12, failed 1: parse_csv\"") ||
              contains(front_matter("1_story_tested"), "test_results: passed 12, failed 1: "))
      << front_matter("1_story_tested");
  EXPECT_TRUE(has_event("1_story_tested", "item_changed"));
  EXPECT_TRUE(contains(error("record_tests", R"({"story_id": "1", "passed": 1})"), "'failed'"));
  EXPECT_TRUE(
      contains(error("record_tests", R"({"story_id": "1", "passed": -1, "failed": 0})"), "passed"));
}

TEST_F(StoryToolsTest, EnsureAcceptance_ListsUncheckedCriteriaUntilAllAreTicked) {
  add_story(Stage::Backlog, "1_story_accept", {"first", "second"});
  add_story(Stage::Backlog, "2_story_nothing", {});
  ok("check_criterion", R"({"story_id": "1", "index": 0})");
  const auto open = error("ensure_acceptance", R"({"story_id": "1"})");
  EXPECT_TRUE(contains(open, "1 of 2")) << open;
  EXPECT_TRUE(contains(open, "[1] second")) << open;
  EXPECT_FALSE(contains(open, "first")) << open;
  ok("check_criterion", R"({"story_id": "1", "index": 1})");
  EXPECT_EQ(ok("ensure_acceptance", R"({"story_id": "1"})")["accepted"], true);
  EXPECT_EQ(ok("ensure_acceptance", R"({"story_id": "2"})")["criteria_total"], 0);
}

TEST_F(StoryToolsTest, Unblock_ClearsTheBlockAndTheMergeFailure) {
  add_story(Stage::Backlog, "1_story_stuck", {},
            "blocked: true\nblocked_reason: gate\nretry_count: 2\nmerge_failure: conflict\n");
  auto unblocked = ok("unblock", R"({"story_id": "1"})");
  EXPECT_EQ(unblocked["blocked"], false);
  EXPECT_EQ(unblocked["merge_failure"], nullptr);
  EXPECT_EQ(unblocked["retry_count"], 0);
  EXPECT_FALSE(contains(front_matter("1_story_stuck"), "blocked"));
  EXPECT_TRUE(has_event("1_story_stuck", "unblocked"));
  EXPECT_TRUE(contains(error("unblock", R"({"story_id": "2"})"), "no work item '2'"));
}

}  // namespace
}  // namespace stork::testing
