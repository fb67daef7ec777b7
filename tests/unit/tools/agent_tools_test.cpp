// Agent tools against a real pool: scripted `command` coders that commit, or sleep.
#include <gtest/gtest.h>

#include "support/git_fixture.hpp"
#include "tools_fixture.hpp"

namespace stork::testing {
namespace {

namespace json = boost::json;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class AgentToolsTest : public ToolsTest {};

TEST_F(AgentToolsTest, StartAgent_RunsACoderWhoseOutputCanBeFollowed) {
  open_tools({coder()});
  add_story(Stage::Backlog, "1_story_ok_one", {});
  auto started = ok("start_agent", R"({"story_id": "1"})");
  EXPECT_EQ(started["agent_name"], "coder-1");
  EXPECT_EQ(started["story_id"], "1_story_ok_one");

  auto finished =
      ok("wait_for_agent", R"({"story_id": "1", "agent_name": "coder-1", "timeout_secs": 20})");
  EXPECT_EQ(finished["finished"], true);
  EXPECT_EQ(finished["status"], "completed");

  auto output = ok("get_agent_output", R"({"story_id": "1", "agent_name": "coder-1"})");
  const auto& events = output["events"].as_array();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].at("seq"), 1);
  EXPECT_TRUE(events[0].at("summary").is_string());
  EXPECT_TRUE(events[0].at("payload").is_object());
  const auto last = output["last_seq"].as_int64();
  EXPECT_EQ(last, events.back().at("seq").as_int64());
  EXPECT_EQ(output["more"], false);

  auto newer = ok("get_agent_output", R"({"story_id": "1", "agent_name": "coder-1",
      "after_seq": )" + std::to_string(last) +
                                          "}");
  EXPECT_TRUE(newer["events"].as_array().empty());
  EXPECT_EQ(newer["last_seq"], last);
  auto first = ok("get_agent_output", R"({"story_id": "1", "agent_name": "coder-1", "limit": 1})");
  EXPECT_EQ(first["events"].as_array().size(), 1u);
  EXPECT_EQ(first["last_seq"], 1);
  EXPECT_EQ(first["more"], true);

  EXPECT_TRUE(contains(error("get_agent_output", R"({"story_id": "1", "agent_name": "coder-9"})"),
                       "list_agents"));
  EXPECT_TRUE(contains(
      error("get_agent_output", R"({"story_id": "1", "agent_name": "coder-1", "limit": 0})"),
      "limit"));

  auto runs = ok("list_agents")["agents"].as_array();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].at("story_id"), "1_story_ok_one");
  EXPECT_EQ(ok("status", R"({"story_id": "1"})")["runs"].as_array().size(), 1u);
}

TEST_F(AgentToolsTest, StartAgent_SaysTheItemIsQueuedWhenNoCoderIsFree) {
  open_tools({sleeper()});
  add_story(Stage::Backlog, "1_story_first", {});
  add_story(Stage::Backlog, "2_story_second", {});
  ok("start_agent", R"({"story_id": "1", "agent_name": "coder-1"})");
  const auto queued = error("start_agent", R"({"story_id": "2"})");
  EXPECT_TRUE(contains(queued, "2_story_second")) << queued;
  EXPECT_EQ(stage_of("2_story_second"), Stage::Current);
  EXPECT_TRUE(contains(error("start_agent", R"({"story_id": "2", "agent_name": "nobody"})"),
                       "get_agent_config"));
  EXPECT_TRUE(contains(error("start_agent", R"({"story_id": "../2"})"), "invalid story id"));
}

TEST_F(AgentToolsTest, WaitAndStop_ReportAnUnfinishedRunThenStopIt) {
  open_tools({sleeper()});
  add_story(Stage::Backlog, "1_story_long", {});
  ok("start_agent", R"({"story_id": "1"})");
  auto waited =
      ok("wait_for_agent", R"({"story_id": "1", "agent_name": "coder-1", "timeout_secs": 1})");
  EXPECT_EQ(waited["finished"], false);
  EXPECT_TRUE(contains(std::string(waited["message"].as_string()), "still working"));
  EXPECT_EQ(waited["run"].at("active"), true);

  auto stopped = ok("stop_agent", R"({"story_id": "1", "agent_name": "coder-1"})");
  EXPECT_EQ(stopped["status"], "stopped");
  auto after = ok("wait_for_agent", R"({"story_id": "1", "agent_name": "coder-1"})");
  EXPECT_EQ(after["finished"], true);
  EXPECT_EQ(after["status"], "stopped");
  EXPECT_TRUE(contains(error("stop_agent", R"({"story_id": "1", "agent_name": "coder-9"})"),
                       "list_agents"));
  EXPECT_TRUE(contains(error("wait_for_agent", R"({"story_id": "1"})"), "'agent_name'"));
}

TEST_F(AgentToolsTest, AgentConfig_DescribesTheRosterAndReloadAppliesAnEdit) {
  open_tools({coder()}, "max_coders = 2");
  auto roster = ok("get_agent_config");
  EXPECT_EQ(roster["max_coders"], 2);
  ASSERT_EQ(roster["agents"].as_array().size(), 1u);
  auto agent = ok("get_agent_config", R"({"agent_name": "coder-1"})");
  EXPECT_EQ(agent["stage"], "coder");
  EXPECT_EQ(agent["runtime"], "command");
  EXPECT_EQ(agent["inactivity_timeout_secs"], 300);
  EXPECT_EQ(agent["max_turns"], nullptr);
  EXPECT_FALSE(agent.contains("args"));  // the script is not the model's business
  EXPECT_TRUE(contains(error("get_agent_config", R"({"agent_name": "ghost"})"), "No agent"));

  const auto toml = root() / ".storkit/project.toml";
  write_text(toml, read_text(toml) +
                       "\n[[agent]]\nname = \"qa\"\nruntime = \"command\"\n"
                       "command = \"/bin/true\"\nmax_turns = 4\n");
  auto reloaded = ok("reload_agent_config");
  EXPECT_EQ(reloaded["agents"].as_array().size(), 2u);
  EXPECT_EQ(ok("get_agent_config", R"({"agent_name": "qa"})")["max_turns"], 4);
  write_text(toml, "max_coders = \"many\"\n");
  EXPECT_TRUE(contains(error("reload_agent_config"), "not applied"));
  EXPECT_EQ(ok("get_agent_config")["agents"].as_array().size(), 2u);
}

TEST_F(AgentToolsTest, ReportCompletion_RefusesZeroCommitWorkSayingWhy) {
  open_tools({sleeper()});
  add_story(Stage::Backlog, "1_story_nothing", {});
  ok("start_agent", R"({"story_id": "1"})");
  ASSERT_TRUE(eventually([&] {
    return std::filesystem::exists(root() / ".storkit/worktrees/1_story_nothing/.mcp.json");
  }));
  const auto refused = error("report_completion", R"({"story_id": "1"})");
  EXPECT_TRUE(contains(refused, "not accepted")) << refused;
  EXPECT_TRUE(contains(refused, "commit")) << refused;
  EXPECT_EQ(stage_of("1_story_nothing"), Stage::Current);
  EXPECT_TRUE(has_event("1_story_nothing", "completion_rejected"));
}

TEST_F(AgentToolsTest, ReportCompletion_AcceptsCommittedWorkAndMovesItOn) {
  open_tools({sleeper()});
  add_story(Stage::Backlog, "1_story_done", {});
  ok("start_agent", R"({"story_id": "1"})");
  const auto worktree = root() / ".storkit/worktrees/1_story_done";
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(worktree / ".mcp.json"); }));
  write_text(worktree / "feature.txt", "done\n");
  git(worktree, {"add", "feature.txt"});
  git(worktree, {"commit", "-qm", "the feature"});
  auto accepted = ok("report_completion",
                     R"({"story_id": "1", "agent_name": "coder-1", "summary": "added it"})");
  EXPECT_EQ(accepted["passed"], true);
  EXPECT_EQ(accepted["stage"], "merge");
  EXPECT_TRUE(wait_for_stage("1_story_done", Stage::Done));
  EXPECT_EQ(base_file("feature.txt"), "done\n");
  const auto wrong = error("report_completion", R"({"story_id": "1", "agent_name": "coder-1"})");
  EXPECT_TRUE(contains(wrong, "not 2_current")) << wrong;
}

}  // namespace
}  // namespace stork::testing
