// GET /api/agents, POST /api/agents/start and /stop, and GET /api/pipeline's view of runs and
// costs, against a pool running real (scripted) agent processes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace stork::testing {
namespace {

using ::testing::HasSubstr;

class AgentRoutes : public ApiTest {
 protected:
  // A coder that works until it is stopped.
  void start_with_sleeper() { start_api({TestAgent{"coder-1", "coder", "sleep 30"}, bystander()}); }
  const boost::json::object* agent_entry(const ApiReply& roster, const std::string& name) {
    for (const auto& agent : roster.object().at("agents").as_array())
      if (agent.at("name") == boost::json::value(name)) return &agent.as_object();
    return nullptr;
  }
};

TEST_F(AgentRoutes, ListAgents_ShowsEveryConfiguredAgentIdleOrOnItsItem) {
  start_with_sleeper();
  add_item(Stage::Backlog, "1_story_job");
  auto idle = get("/api/agents");
  ASSERT_EQ(idle.status, 200u) << idle.body;
  ASSERT_EQ(idle.object().at("agents").as_array().size(), 2u);
  EXPECT_EQ(agent_entry(idle, "coder-1")->at("status"), "idle");
  EXPECT_EQ(agent_entry(idle, "coder-1")->at("stage"), "coder");
  EXPECT_EQ(agent_entry(idle, "coder-1")->at("runtime"), "command");

  auto started = post("/api/agents/start", R"({"story_id":"1"})");
  ASSERT_EQ(started.status, 201u) << started.body;
  EXPECT_EQ(started.object().at("agent"), "coder-1");
  EXPECT_EQ(started.object().at("story_id"), "1_story_job");
  EXPECT_EQ(stage_of("1_story_job"), Stage::Current);
  ASSERT_TRUE(eventually([&] {
    auto roster = get("/api/agents");
    return agent_entry(roster, "coder-1")->at("status") == "running";
  }));
  auto busy = get("/api/agents");
  EXPECT_EQ(agent_entry(busy, "coder-1")->at("story_id"), "1_story_job");
  EXPECT_EQ(agent_entry(busy, "watcher")->at("status"), "idle");
  EXPECT_EQ(agent_entry(busy, "watcher")->at("story_id"), nullptr);

  auto board = get("/api/pipeline");
  ASSERT_EQ(board.status, 200u);
  const auto& current = board.object().at("stages").at("current").as_array();
  ASSERT_EQ(current.size(), 1u);
  ASSERT_EQ(current[0].at("agents").as_array().size(), 1u);
  EXPECT_EQ(current[0].at("agents").as_array()[0].at("agent"), "coder-1");
  EXPECT_EQ(current[0].at("agents").as_array()[0].at("status"), "running");
}

TEST_F(AgentRoutes, StartAgent_ConflictsAndQueuesAre409WithThePoolsMessage) {
  start_with_sleeper();
  add_item(Stage::Backlog, "1_story_first");
  add_item(Stage::Backlog, "2_story_second");
  ASSERT_EQ(post("/api/agents/start", R"({"story_id":"1"})").status, 201u);
  auto again = post("/api/agents/start", R"({"story_id":"1_story_first","agent":"coder-1"})");
  EXPECT_EQ(again.status, 409u) << again.body;
  EXPECT_EQ(again.error_code(), "conflict");
  auto queued = post("/api/agents/start", R"({"story_id":"2"})");
  EXPECT_EQ(queued.status, 409u) << queued.body;
  EXPECT_EQ(queued.error_code(), "queued");
  EXPECT_THAT(queued.body, HasSubstr("2_story_second"));
}

TEST_F(AgentRoutes, StartAgent_RefusesBadInputWith4xx) {
  start_with_sleeper();
  add_item(Stage::Backlog, "1_story_job");
  EXPECT_EQ(post("/api/agents/start", "{").error_code(), "invalid_json");
  EXPECT_EQ(post("/api/agents/start", "{}").error_code(), "invalid_field");
  EXPECT_EQ(post("/api/agents/start", R"({"story_id":1})").error_code(), "invalid_field");
  EXPECT_EQ(post("/api/agents/start", R"({"story_id":"1","agent":5})").error_code(),
            "invalid_field");
  EXPECT_EQ(post("/api/agents/start", R"({"story_id":"../../x"})").error_code(), "invalid_id");
  auto unknown_story = post("/api/agents/start", R"({"story_id":"77"})");
  EXPECT_EQ(unknown_story.status, 404u) << unknown_story.body;
  auto unknown_agent = post("/api/agents/start", R"({"story_id":"1","agent":"ghost"})");
  EXPECT_EQ(unknown_agent.status, 404u) << unknown_agent.body;
  EXPECT_EQ(unknown_agent.error_code(), "unknown_agent");
}

TEST_F(AgentRoutes, StopAgent_StopsTheRunAndNamesWhatIsMissing) {
  start_with_sleeper();
  add_item(Stage::Backlog, "1_story_job");
  ASSERT_EQ(post("/api/agents/start", R"({"story_id":"1"})").status, 201u);
  EXPECT_EQ(post("/api/agents/stop", R"({"story_id":"1"})").error_code(), "invalid_field");
  auto nobody = post("/api/agents/stop", R"({"story_id":"1","agent":"watcher"})");
  EXPECT_EQ(nobody.status, 404u) << nobody.body;
  auto stopped = post("/api/agents/stop", R"({"story_id":"1","agent":"coder-1"})");
  ASSERT_EQ(stopped.status, 200u) << stopped.body;
  EXPECT_EQ(stopped.object().at("status"), "stopped");
  auto roster = get("/api/agents");
  EXPECT_EQ(agent_entry(roster, "coder-1")->at("status"), "idle");
  EXPECT_EQ(agent_entry(roster, "coder-1")->at("last_run").at("status"), "stopped");
}

TEST_F(AgentRoutes, Pipeline_ShowsRetryCountAndTheCostSoFarOfEachItem) {
  start_api();
  add_item(Stage::Current, "1_story_paid", "retry_count: 1\n");
  add_item(Stage::Backlog, "2_story_free");
  record_usage("1_story_paid", "coder-1", "sonnet", 100, 0.25);
  record_usage("1_story_paid", "coder-1", "sonnet", 100, 0.5);
  auto board = get("/api/pipeline");
  ASSERT_EQ(board.status, 200u) << board.body;
  const auto& stages = board.object().at("stages");
  const auto& paid = stages.at("current").as_array().at(0).as_object();
  EXPECT_DOUBLE_EQ(paid.at("cost_usd").as_double(), 0.75);
  EXPECT_EQ(paid.at("retry_count"), 1);
  EXPECT_TRUE(paid.at("agents").as_array().empty());
  EXPECT_DOUBLE_EQ(stages.at("backlog").as_array().at(0).at("cost_usd").to_number<double>(), 0);
  EXPECT_TRUE(board.object().at("problems").as_array().empty());
}

}  // namespace
}  // namespace stork::testing
