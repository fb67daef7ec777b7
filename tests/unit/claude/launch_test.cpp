#include "agents/claude/launch.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace stork::claude {
namespace {

using Argv = std::vector<std::string>;

AgentConfig minimal_agent() {
  AgentConfig agent;
  agent.name = "coder-1";
  return agent;
}

TEST(ClaudeArgv, MinimalConfigGivesTheStreamJsonCommandOnly) {
  LaunchInput input;
  input.prompt = "Do story 42.";
  EXPECT_EQ(claude_argv(minimal_agent(), input),
            (Argv{"claude", "-p", "--input-format", "stream-json", "--output-format", "stream-json",
                  "--verbose"}));
}

TEST(ClaudeArgv, EveryPermissionModeSendsQuestionsToStorksPromptTool) {
  for (auto mode : {PermissionMode::Ask, PermissionMode::Allow, PermissionMode::Deny}) {
    AgentConfig agent = minimal_agent();
    agent.permission_mode = mode;
    agent.args = {"--max-thinking-tokens", "0"};
    LaunchInput input;
    input.prompt = "p";
    input.mcp_config = "/wt/.mcp.json";
    EXPECT_EQ(
        claude_argv(agent, input),
        (Argv{"claude", "-p", "--input-format", "stream-json", "--output-format", "stream-json",
              "--verbose", "--mcp-config", "/wt/.mcp.json", "--permission-prompt-tool",
              "mcp__storkit__prompt_permission", "--max-thinking-tokens", "0"}))
        << to_string(mode);
  }
}

TEST(ClaudeArgv, FullConfigGivesEveryFlagInDocumentedOrderWithArgsLast) {
  AgentConfig agent = minimal_agent();
  agent.command = "/opt/claude/bin/claude";
  agent.model = "claude-sonnet-4-5";
  agent.max_turns = 40;
  agent.max_budget_usd = 2.5;
  agent.allowed_tools = {"Bash(git commit:*)", "Edit", "mcp__storkit__status"};
  agent.system_prompt = "You are coder-1.";
  agent.args = {"--dangerously-skip-permissions", "--permission-mode", "acceptEdits"};
  agent.prompt = "not used: the caller renders it";
  LaunchInput input;
  input.prompt = "Implement 42_story_login.";
  input.resume_session = "0b8f6a3e-1c1d-4a4e-9a51-3f0e1f2d9c77";
  input.mcp_config = "/work/wt/42/.mcp.json";
  input.default_model = "claude-haiku-4-5";  // the agent's own model wins

  EXPECT_EQ(claude_argv(agent, input), (Argv{"/opt/claude/bin/claude",
                                             "-p",
                                             "--input-format",
                                             "stream-json",
                                             "--output-format",
                                             "stream-json",
                                             "--verbose",
                                             "--model",
                                             "claude-sonnet-4-5",
                                             "--max-turns",
                                             "40",
                                             "--max-budget-usd",
                                             "2.5",
                                             "--allowedTools",
                                             "Bash(git commit:*),Edit,mcp__storkit__status",
                                             "--append-system-prompt",
                                             "You are coder-1.",
                                             "--mcp-config",
                                             "/work/wt/42/.mcp.json",
                                             "--resume",
                                             "0b8f6a3e-1c1d-4a4e-9a51-3f0e1f2d9c77",
                                             "--dangerously-skip-permissions",
                                             "--permission-mode",
                                             "acceptEdits"}));
}

TEST(ClaudeArgv, DefaultModelAppliesWhenAgentHasNone) {
  LaunchInput input;
  input.prompt = "p";
  input.default_model = "claude-haiku-4-5";
  Argv argv = claude_argv(minimal_agent(), input);
  ASSERT_EQ(argv.size(), 9u);
  EXPECT_EQ(argv[7], "--model");
  EXPECT_EQ(argv[8], "claude-haiku-4-5");
}

// The prompt never reaches argv (a prompt starting with '-' cannot be read as an option, and
// no prompt is limited by the argument size); it is the first stdin line.
TEST(ClaudeArgv, PromptIsNotAnArgument) {
  LaunchInput input;
  input.prompt = "--help me fix the build";
  Argv argv = claude_argv(minimal_agent(), input);
  for (const auto& arg : argv)
    EXPECT_EQ(arg.find("fix the build"), std::string::npos) << arg;
}

TEST(ClaudeUserMessage, IsOneStreamJsonUserLineWithTheTextEscaped) {
  EXPECT_EQ(claude_user_message("say \"hi\"\nnow"),
            R"({"type":"user","message":{"role":"user","content":[{"type":"text","text":)"
            R"("say \"hi\"\nnow"}]}})"
            "\n");
}

}  // namespace
}  // namespace stork::claude
