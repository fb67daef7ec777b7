// The actions on an item (move, block, unblock, criteria, QA, merge) and its branch's diff,
// each through the pipeline, with the status codes the board relies on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api_fixture.hpp"
#include "support/git_fixture.hpp"

namespace stork::testing {
namespace {

using ::testing::HasSubstr;

class ItemActions : public ApiTest {};

TEST_F(ItemActions, Move_FollowsLegalTransitionsAnd409ForIllegalOnes) {
  start_api();
  add_item(Stage::Backlog, "1_story_move");
  auto moved = post("/api/items/1/move", R"({"stage":"current"})");
  ASSERT_EQ(moved.status, 200u) << moved.body;
  EXPECT_EQ(moved.object().at("stage"), "current");
  EXPECT_EQ(stage_of("1_story_move"), Stage::Current);
  auto illegal = post("/api/items/1/move", R"({"stage":"done"})");
  EXPECT_EQ(illegal.status, 409u) << illegal.body;
  EXPECT_EQ(illegal.error_code(), "wrong_stage");
  EXPECT_EQ(post("/api/items/1/move", R"({"stage":"nowhere"})").error_code(), "invalid_field");
  EXPECT_EQ(post("/api/items/1/move", R"({"stage":3})").error_code(), "invalid_field");
  EXPECT_EQ(post("/api/items/1/move", "stage=done").error_code(), "invalid_json");
  EXPECT_EQ(stage_of("1_story_move"), Stage::Current);
}

TEST_F(ItemActions, BlockAndUnblock_SetAndClearTheFlags) {
  start_api();
  add_item(Stage::Backlog, "1_story_flag", "retry_count: 2\n");
  auto blocked = post("/api/items/1/block", R"({"reason":"waiting for the API key"})");
  ASSERT_EQ(blocked.status, 200u) << blocked.body;
  EXPECT_EQ(blocked.object().at("blocked"), true);
  EXPECT_EQ(blocked.object().at("blocked_reason"), "waiting for the API key");
  EXPECT_EQ(post("/api/items/1/block", R"({"reason":false})").error_code(), "invalid_field");
  auto unblocked = post("/api/items/1_story_flag/unblock");
  ASSERT_EQ(unblocked.status, 200u) << unblocked.body;
  EXPECT_EQ(unblocked.object().at("blocked"), false);
  EXPECT_EQ(unblocked.object().at("retry_count"), 0);
  EXPECT_EQ(post("/api/items/1/unblock", R"({"force":true})").error_code(), "invalid_field");
}

TEST_F(ItemActions, Criteria_TickAndClearByIndexAndAMissingIndexIs404) {
  start_api();
  write_text(dir_ / ".storkit/work/1_backlog/1_story_todo.md",
             "---\nname: Todo\n---\n## Acceptance Criteria\n- [ ] one\n- [ ] two\n");
  auto ticked = post("/api/items/1/criteria/1", R"({"checked":true})");
  ASSERT_EQ(ticked.status, 200u) << ticked.body;
  EXPECT_EQ(ticked.object().at("criteria").as_array()[1].at("checked"), true);
  EXPECT_EQ(ticked.object().at("criteria").as_array()[0].at("checked"), false);
  auto cleared = post("/api/items/1/criteria/1", R"({"checked":false})");
  EXPECT_EQ(cleared.object().at("criteria_checked"), 0);
  auto missing = post("/api/items/1/criteria/5", R"({"checked":true})");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_THAT(missing.body, HasSubstr("it has 2"));
  EXPECT_EQ(post("/api/items/1/criteria/-1", R"({"checked":true})").error_code(), "invalid_index");
  EXPECT_EQ(post("/api/items/1/criteria/x", R"({"checked":true})").error_code(), "invalid_index");
  EXPECT_EQ(post("/api/items/1/criteria/0", R"({"checked":"yes"})").error_code(), "invalid_field");
}

TEST_F(ItemActions, Qa_RejectNeedsNotesAndSendsTheItemBackApproveQueuesTheMerge) {
  start_api();
  add_item(Stage::Qa, "1_story_review", "review_hold: true\n");
  add_item(Stage::Qa, "2_story_other", "review_hold: true\n");
  add_item(Stage::Backlog, "3_story_early");
  EXPECT_EQ(post("/api/items/1/qa/reject", "{}").error_code(), "invalid_field");
  auto rejected = post("/api/items/1/qa/reject", R"({"notes":"the button is missing"})");
  ASSERT_EQ(rejected.status, 200u) << rejected.body;
  EXPECT_EQ(rejected.object().at("stage"), "current");
  EXPECT_THAT(std::string(rejected.object().at("body").as_string()),
              HasSubstr("the button is missing"));
  auto approved = post("/api/items/2/qa/approve");
  ASSERT_EQ(approved.status, 200u) << approved.body;
  EXPECT_EQ(approved.object().at("stage"), "merge");
  EXPECT_TRUE(eventually([&] { return has_event("2_story_other", "merge_queued"); }));
  auto early = post("/api/items/3/qa/approve");
  EXPECT_EQ(early.status, 409u);
  EXPECT_EQ(early.error_code(), "wrong_stage");
}

TEST_F(ItemActions, Merge_QueuesTheBranchAndTheItemReachesDone) {
  start_api();
  add_item(Stage::Current, "1_story_ready");
  commit_on_branch("1_story_ready", {{"feature.txt", "new feature\n"}});
  auto queued = post("/api/items/1/merge");
  ASSERT_EQ(queued.status, 200u) << queued.body;
  EXPECT_EQ(queued.object().at("queue_position"), 0);
  EXPECT_TRUE(wait_for_stage("1_story_ready", Stage::Done));
  EXPECT_EQ(base_file("feature.txt"), "new feature\n");
  auto merge = get("/api/merge");
  ASSERT_EQ(merge.status, 200u);
  EXPECT_TRUE(eventually([&] {
    auto status = get("/api/merge");
    const auto& recent = status.object().at("recent").as_array();
    return !recent.empty() && recent[0].at("story") == "1_story_ready" &&
           recent[0].at("step") == "done";
  }));
  // Merged: the branch is gone and the diff is that of the squash commit on the base.
  // (The branch is deleted just after the move to done: wait for that.)
  ApiReply merged;
  ASSERT_TRUE(eventually([&] {
    merged = get("/api/items/1/diff");
    return merged.status == 200u && merged.object().contains("merged_commit");
  })) << merged.body;
  EXPECT_EQ(merged.object().at("merged_commit"), merged.object().at("head_commit"));
  const auto& merged_files = merged.object().at("files").as_array();
  ASSERT_EQ(merged_files.size(), 1u) << merged.body;
  EXPECT_EQ(merged_files[0].at("path"), "feature.txt");
  EXPECT_EQ(merged_files[0].at("status"), "added");
  add_item(Stage::Backlog, "2_spike_idea");
  auto spike = post("/api/items/2/merge");
  EXPECT_EQ(spike.status, 400u) << spike.body;
  add_item(Stage::Backlog, "3_story_early");
  EXPECT_EQ(post("/api/items/3/merge").status, 409u);
}

TEST_F(ItemActions, Diff_ListsEachFileOfTheBranchWithStatusCountsAndPatch) {
  start_api();
  add_item(Stage::Current, "1_story_diff");
  write_text(dir_ / "old.txt", "going away\n");
  git(root(), {"add", "old.txt"});
  git(root(), {"commit", "-qm", "old file"});
  commit_on_branch("1_story_diff",
                   {{"added.txt", "one\ntwo\n"}, {"shared.txt", "line one\nline 2\nline three\n"}},
                   {"old.txt"});
  auto diff = get("/api/items/1/diff");
  ASSERT_EQ(diff.status, 200u) << diff.body;
  const auto& body = diff.object();
  EXPECT_EQ(body.at("branch"), "feature/story-1_story_diff");
  EXPECT_EQ(body.at("base_branch"), "main");
  const auto& files = body.at("files").as_array();
  ASSERT_EQ(files.size(), 3u) << diff.body;
  std::map<std::string, const boost::json::object*> by_path;
  for (const auto& file : files)
    by_path[std::string(file.at("path").as_string())] = &file.as_object();
  EXPECT_EQ(by_path.at("added.txt")->at("status"), "added");
  EXPECT_EQ(by_path.at("added.txt")->at("additions"), 2);
  EXPECT_EQ(by_path.at("old.txt")->at("status"), "deleted");
  EXPECT_EQ(by_path.at("old.txt")->at("deletions"), 1);
  EXPECT_EQ(by_path.at("shared.txt")->at("status"), "modified");
  EXPECT_EQ(by_path.at("shared.txt")->at("additions"), 2);
  EXPECT_EQ(by_path.at("shared.txt")->at("deletions"), 1);
  EXPECT_THAT(std::string(by_path.at("shared.txt")->at("patch").as_string()), HasSubstr("+line 2"));
  EXPECT_EQ(body.at("additions"), 4);

  add_item(Stage::Backlog, "2_story_nobranch");
  auto none = get("/api/items/2/diff");
  EXPECT_EQ(none.status, 404u);
  EXPECT_THAT(none.body, HasSubstr("feature/story-2_story_nobranch"));
  EXPECT_EQ(get("/api/items/..%2E/diff").status, 400u);
}

}  // namespace
}  // namespace stork::testing
