// GET /api/pipeline is served from a cache between changes: every change must still show at
// once (pipeline writes, agent runs) or within the watcher's debounce (edits by hand). And
// GET /api/items/{id}/gate: the newest gate log of an item, its outcome and its tail.
#include <gtest/gtest.h>

#include "api_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork::testing {
namespace {

using PipelineRoutes = ApiTest;

const boost::json::array& stage_items(const ApiReply& board, const char* stage) {
  return board.object().at("stages").at(stage).as_array();
}

TEST_F(PipelineRoutes, Pipeline_ChangesShowAtOnceThoughTheBoardIsCached) {
  start_api();
  add_item(Stage::Backlog, "1_story_a");
  auto first = get("/api/pipeline");
  ASSERT_EQ(first.status, 200u) << first.body;
  ASSERT_EQ(stage_items(first, "backlog").size(), 1u);
  EXPECT_EQ(stage_items(first, "backlog")[0].at("flags").at("blocked"), false);
  EXPECT_EQ(get("/api/pipeline").body, first.body);  // nothing changed: the same answer

  ASSERT_EQ(post("/api/items/1/block", R"({"reason":"waiting"})").status, 200u);
  auto blocked = get("/api/pipeline");  // no wait: the change was announced before the reply
  EXPECT_EQ(stage_items(blocked, "backlog")[0].at("flags").at("blocked"), true);

  ASSERT_EQ(post("/api/items/1/move", R"({"stage":"current"})").status, 200u);
  auto moved = get("/api/pipeline");
  EXPECT_TRUE(stage_items(moved, "backlog").empty());
  EXPECT_EQ(stage_items(moved, "current").size(), 1u);

  // An item written by hand announces itself through the watcher only.
  add_item(Stage::Backlog, "2_story_by_hand");
  EXPECT_TRUE(eventually([&] { return stage_items(get("/api/pipeline"), "backlog").size() == 1; }));
}

TEST_F(PipelineRoutes, Pipeline_ShowsARunWhileItIsActiveAndDropsItWhenItEnds) {
  start_api({TestAgent{"sleeper", "other", "sleep 0.4"}});
  add_item(Stage::Current, "1_story_a");
  auto idle = get("/api/pipeline");
  ASSERT_TRUE(stage_items(idle, "current")[0].at("agents").as_array().empty());

  ASSERT_TRUE(start("1_story_a", "sleeper").ok());
  auto busy = get("/api/pipeline");
  const auto& runs = stage_items(busy, "current")[0].at("agents").as_array();
  ASSERT_EQ(runs.size(), 1u) << busy.body;
  EXPECT_EQ(runs[0].at("agent"), "sleeper");
  EXPECT_TRUE(eventually([&] {
    auto board = get("/api/pipeline");
    return stage_items(board, "current")[0].at("agents").as_array().empty();
  }));
}

TEST_F(PipelineRoutes, Gate_IsNullBeforeAnyGateThenTheNewestLogWithItsOutcome) {
  start_api();
  add_item(Stage::Current, "1_story_a");
  auto none = get("/api/items/1/gate");
  ASSERT_EQ(none.status, 200u) << none.body;
  EXPECT_EQ(none.object().at("id"), "1_story_a");
  EXPECT_TRUE(none.object().at("gate").is_null());

  const auto logs = root() / ".storkit" / "logs" / "1_story_a";
  write_text(logs / "completion-1000.log", "3 tests failed\n--- gate failed: exit code 1\n");
  write_text(logs / "completion-3000.log", "all fine\n--- gate passed: exit code 0\n");
  write_text(logs / "merge-2000.log", "merged tree\n--- gate passed: exit code 0\n");
  write_text(logs / "coder-1-abc.log", "an agent's log, not a gate's\n");
  auto gate = get("/api/items/1_story_a/gate");
  ASSERT_EQ(gate.status, 200u) << gate.body;
  const auto& newest = gate.object().at("gate").as_object();
  EXPECT_EQ(newest.at("kind"), "completion");
  EXPECT_EQ(newest.at("time_ms"), 3000);
  EXPECT_EQ(newest.at("outcome"), "passed");
  EXPECT_EQ(newest.at("truncated"), false);
  EXPECT_EQ(newest.at("output"), "all fine\n--- gate passed: exit code 0\n");

  // A gate still running has no verdict yet; a long log is cut to its end.
  write_text(logs / "merge-4000.log", std::string(100 * 1024, 'x') + "\nstill running\n");
  auto running = get("/api/items/1/gate");
  const auto& tail = running.object().at("gate").as_object();
  EXPECT_EQ(tail.at("kind"), "merge");
  EXPECT_TRUE(tail.at("outcome").is_null());
  EXPECT_EQ(tail.at("truncated"), true);
  EXPECT_EQ(tail.at("output").as_string().size(), 64u * 1024);
  EXPECT_TRUE(tail.at("output").as_string().ends_with("still running\n"));

  EXPECT_EQ(get("/api/items/42/gate").status, 404u);
  EXPECT_EQ(get("/api/items/..%2F..%2Fetc/gate").status, 400u);
}

}  // namespace
}  // namespace stork::testing
