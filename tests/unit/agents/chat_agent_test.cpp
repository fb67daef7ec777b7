#include "agents/chat_agent.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agents/claude/launch.hpp"

namespace stork::agents {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

AgentConfig claude_agent() {
  AgentConfig agent;
  agent.name = "planner";
  agent.runtime = "claude-code";
  agent.allowed_tools = {"Bash", "Write"};
  agent.args = {"--dangerously-skip-permissions", "--permission-mode", "bypassPermissions",
                "--allowedTools=Edit", "--verbose"};
  return agent;
}

TEST(ChatAgent, ClaudeCodeChatReadsAndUsesStorkToolsButNeverEditsOrSkipsPermissions) {
  const AgentConfig chat = chat_agent_config(claude_agent());
  EXPECT_THAT(chat.allowed_tools, ElementsAre("Read", "Glob", "Grep", "LS", "mcp__storkit"));
  EXPECT_EQ(chat.permission_mode, PermissionMode::Ask);
  EXPECT_THAT(chat.args,
              ElementsAre("--verbose", "--disallowedTools", "Edit,Write,MultiEdit,NotebookEdit"));
  // The command line the CLI gets: asks stork, and the disallowed list is the last argument.
  const auto argv = claude::claude_argv(chat, {"hi", std::nullopt, "/p/mcp.json", std::nullopt});
  EXPECT_THAT(argv, Contains("mcp__storkit__prompt_permission"));
  EXPECT_THAT(argv, Not(Contains("--dangerously-skip-permissions")));
  EXPECT_EQ(argv.back(), "Edit,Write,MultiEdit,NotebookEdit");
}

TEST(ChatAgent, AllowModeBecomesAskAndDenyStaysDeny) {
  EXPECT_EQ(chat_permission_mode(PermissionMode::Allow), PermissionMode::Ask);
  EXPECT_EQ(chat_permission_mode(std::nullopt), PermissionMode::Ask);
  EXPECT_EQ(chat_permission_mode(PermissionMode::Deny), PermissionMode::Deny);
  AgentConfig agent = claude_agent();
  agent.permission_mode = PermissionMode::Deny;
  EXPECT_EQ(chat_agent_config(agent).permission_mode, PermissionMode::Deny);
}

TEST(ChatAgent, OtherRuntimesRunAsConfigured) {
  AgentConfig agent = claude_agent();
  agent.runtime = "codex";
  const AgentConfig chat = chat_agent_config(agent);
  EXPECT_EQ(chat.args, agent.args);
  EXPECT_EQ(chat.allowed_tools, agent.allowed_tools);
}

}  // namespace
}  // namespace stork::agents
