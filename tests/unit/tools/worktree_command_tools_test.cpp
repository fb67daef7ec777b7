// Worktree tools with real git worktrees, run_command with real bash, prompt_permission.
#include <cstdlib>
#include <future>
#include <optional>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "agents/awaitable_result.hpp"
#include "support/git_fixture.hpp"
#include "tools_fixture.hpp"

namespace stork::testing {
namespace {

namespace json = boost::json;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class WorktreeToolsTest : public ToolsTest {
 protected:
  void SetUp() override { open_tools(); }
};

TEST_F(WorktreeToolsTest, CreateWorktree_CallsAtOnceAllSucceedAndTheRepeatIsReused) {
  add_story(Stage::Current, "1_story_a", {});
  add_story(Stage::Current, "2_story_b", {});
  add_story(Stage::Current, "3_story_c", {});
  // All in flight at once: they take turns on the shared workers, so the repeated one finds
  // the worktree its twin made.
  std::vector<std::future<std::optional<mcp::ToolResult>>> calls;
  for (const char* id : {"1", "2", "3", "1"}) {
    auto call = server_->call_tool("create_worktree",
                                   json::parse(std::string(R"({"story_id": ")") + id + "\"}"));
    calls.push_back(
        boost::asio::co_spawn(io_, agents::as_optional(std::move(call)), boost::asio::use_future));
  }
  int reused = 0;
  for (auto& call : calls) {
    auto result = call.get();
    ASSERT_TRUE(result);
    ASSERT_FALSE(result->is_error) << (result->text.empty() ? "" : result->text.front());
    reused += json::parse(result->text.front()).at("reused").as_bool() ? 1 : 0;
  }
  EXPECT_EQ(reused, 1);
  EXPECT_EQ(ok("list_worktrees")["worktrees"].as_array().size(), 3u);
}

TEST_F(WorktreeToolsTest, CreateListRemove_ManageTheItemsWorktreeAndBranch) {
  add_story(Stage::Current, "1_story_tree", {});
  auto created = ok("create_worktree", R"({"story_id": "1"})");
  const std::filesystem::path path(std::string(created["path"].as_string()));
  EXPECT_EQ(path, root() / ".storkit/worktrees/1_story_tree");
  EXPECT_EQ(created["branch"], "feature/story-1_story_tree");
  EXPECT_EQ(created["reused"], false);
  EXPECT_TRUE(contains(read_text(path / ".mcp.json"), "http://127.0.0.1:3999/mcp"));
  EXPECT_EQ(ok("create_worktree", R"({"story_id": "1_story_tree"})")["reused"], true);

  auto listed = ok("list_worktrees");
  ASSERT_EQ(listed["worktrees"].as_array().size(), 1u);
  EXPECT_EQ(listed["worktrees"].as_array()[0].at("story_id"), "1_story_tree");

  EXPECT_EQ(ok("remove_worktree", R"({"story_id": "1"})")["removed"], true);
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(git(root(), {"branch", "--list", "feature/story-1_story_tree"}), "");
  EXPECT_TRUE(ok("list_worktrees")["worktrees"].as_array().empty());
}

TEST_F(WorktreeToolsTest, CreateWorktree_RefusesUnknownAndPathLikeIds) {
  EXPECT_TRUE(contains(error("create_worktree", R"({"story_id": "7"})"), "no work item '7'"));
  EXPECT_TRUE(
      contains(error("create_worktree", R"({"story_id": "1_story_x/../../y"})"), "invalid story"));
  EXPECT_TRUE(contains(error("remove_worktree", R"({"story_id": "../x"})"), "invalid story"));
  EXPECT_FALSE(std::filesystem::exists(root() / ".storkit/worktrees"));
}

TEST_F(WorktreeToolsTest, RunCommand_RunsBashInTheWorktreeAndReportsTheOutcome) {
  add_story(Stage::Current, "1_story_cmd", {});
  ok("create_worktree", R"({"story_id": "1"})");
  ::setenv("STORK_GATE", "completion", 1);
  auto ran = ok("run_command", R"({"story_id": "1", "command":
      "pwd; echo \"gate=${STORK_GATE:-unset} story=$STORK_STORY_ID\"; [[ -n x ]] && echo bash; echo oops >&2; exit 3"})");
  ::unsetenv("STORK_GATE");
  EXPECT_EQ(ran["succeeded"], false);
  EXPECT_EQ(ran["outcome"], "exit code 3");
  const auto output = std::string(ran["output"].as_string());
  EXPECT_TRUE(contains(output, ".storkit/worktrees/1_story_cmd")) << output;
  EXPECT_TRUE(contains(output, "gate=unset story=1_story_cmd")) << output;
  EXPECT_TRUE(contains(output, "bash")) << output;
  EXPECT_TRUE(contains(output, "oops")) << output;
  EXPECT_EQ(ok("run_command", R"({"story_id": "1", "command": "true"})")["succeeded"], true);
}

TEST_F(WorktreeToolsTest, RunCommand_StopsACommandAtItsTimeLimit) {
  add_story(Stage::Current, "1_story_slow", {});
  ok("create_worktree", R"({"story_id": "1"})");
  auto ran = ok("run_command", R"({"story_id": "1", "command": "echo started; sleep 20",
      "timeout_secs": 1})");
  EXPECT_EQ(ran["succeeded"], false);
  EXPECT_EQ(ran["outcome"], "timed out after 1 s");
  EXPECT_LT(ran["duration_ms"].as_int64(), 8000);
  EXPECT_TRUE(contains(std::string(ran["output"].as_string()), "started"));
  EXPECT_TRUE(contains(error("run_command", R"({"story_id": "1", "command": "x",
      "timeout_secs": 601})"),
                       "timeout_secs"));
}

TEST_F(WorktreeToolsTest, RunCommand_RefusesDeniedCommandsAndItemsWithoutWorktree) {
  add_story(Stage::Current, "1_story_cmd", {});
  const auto no_tree = error("run_command", R"({"story_id": "1", "command": "ls"})");
  EXPECT_TRUE(contains(no_tree, "create_worktree")) << no_tree;
  ok("create_worktree", R"({"story_id": "1"})");
  const auto pushed =
      error("run_command", R"({"story_id": "1", "command": "git commit -qam x && git push"})");
  EXPECT_TRUE(contains(pushed, "never push")) << pushed;
  EXPECT_TRUE(
      contains(error("run_command", R"({"story_id": "1", "command": "sudo id"})"), "another user"));
  EXPECT_TRUE(contains(error("run_command", R"({"story_id": "1"})"), "'command'"));
}

TEST_F(WorktreeToolsTest, PromptPermission_DeniesDeniedBashCommandsAndAllowsTheRest) {
  auto denied = ok("prompt_permission", R"({"tool_name": "Bash",
      "input": {"command": "rm -rf ~"}, "tool_use_id": "toolu_1"})");
  EXPECT_EQ(denied["behavior"], "deny");
  EXPECT_TRUE(contains(std::string(denied["message"].as_string()), "home"));
  auto allowed = ok("prompt_permission",
                    R"({"tool_name": "Bash", "input": {"command": "make test", "timeout": 5}})");
  EXPECT_EQ(allowed["behavior"], "allow");
  EXPECT_EQ(allowed["updatedInput"], json::parse(R"({"command": "make test", "timeout": 5})"));
  auto edit = ok("prompt_permission",
                 R"({"tool_name": "Edit", "input": {"file_path": "a", "new_string": "sudo"}})");
  EXPECT_EQ(edit["behavior"], "allow");
  EXPECT_TRUE(
      contains(error("prompt_permission", R"({"tool_name": "Bash", "input": "ls"})"), "'input'"));
}

// Claude Code rejects a permission answer that is not exactly one text block ("Expected a
// single text block param"): no structuredContent beside the text.
TEST_F(WorktreeToolsTest, PromptPermission_AnswersWithOneTextBlockAndNoStructuredContent) {
  for (const char* command : {"make test", "sudo id"}) {
    auto result = call("prompt_permission", std::string(R"({"tool_name": "Bash", "input": )") +
                                                R"({"command": ")" + command + "\"}}");
    ASSERT_EQ(result.text.size(), 1u) << command;
    EXPECT_FALSE(result.structured) << command;
    EXPECT_FALSE(result.is_error) << command;
    EXPECT_TRUE(json::parse(result.text.front()).as_object().contains("behavior"));
  }
}

class WorktreeWithAgentTest : public ToolsTest {
 protected:
  void SetUp() override { open_tools({sleeper()}); }
};

TEST_F(WorktreeWithAgentTest, RemoveWorktree_RefusesWhileAnAgentWorksOnTheItem) {
  add_story(Stage::Backlog, "1_story_busy", {});
  ok("start_agent", R"({"story_id": "1", "agent_name": "coder-1"})");
  ASSERT_TRUE(eventually([&] {
    return std::filesystem::exists(root() / ".storkit/worktrees/1_story_busy/.mcp.json");
  }));
  const auto refused = error("remove_worktree", R"({"story_id": "1"})");
  EXPECT_TRUE(contains(refused, "stop_agent first")) << refused;
  EXPECT_TRUE(std::filesystem::exists(root() / ".storkit/worktrees/1_story_busy"));
  ok("stop_agent", R"({"story_id": "1", "agent_name": "coder-1"})");
  EXPECT_EQ(ok("remove_worktree", R"({"story_id": "1"})")["removed"], true);
}

}  // namespace
}  // namespace stork::testing
