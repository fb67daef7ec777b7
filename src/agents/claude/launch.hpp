// The command line that starts the Claude Code CLI for one run of an agent, and the stdin lines
// it reads. Pure: builds text only; the caller (the agent pool) spawns it in the worktree, with
// CLAUDECODE removed from the environment, writes the prompt to its stdin as the first user
// message, later messages of people while the turn runs, and closes stdin at the `result`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/project_config.hpp"

namespace stork::claude {

struct LaunchInput {
  std::string prompt;                         // not in argv: written to stdin (claude_user_message)
  std::optional<std::string> resume_session;  // session id of an earlier run to continue
  std::filesystem::path mcp_config;           // the worktree's .mcp.json; empty: none
  std::optional<std::string> default_model;   // project default_coder_model, for coders
};

// argv[0] and the flags, in this order, each only when its source is set:
//   AgentConfig::command (else "claude")  argv[0]
//   (always)                              -p --input-format stream-json
//                                         --output-format stream-json --verbose
//                                         (the prompt and later messages arrive on stdin, one
//                                         claude_user_message line each; the CLI adds a
//                                         message that arrives mid-turn to its next request)
//   AgentConfig::model,
//     else LaunchInput::default_model     --model <model>
//   AgentConfig::max_turns                --max-turns <n>
//   AgentConfig::max_budget_usd           --max-budget-usd <amount>
//   AgentConfig::allowed_tools            --allowedTools <a,b,...>  (one argument: the CLI's
//                                          option takes several words and would swallow what
//                                          follows; it splits on commas itself)
//   AgentConfig::system_prompt            --append-system-prompt <text>
//   LaunchInput::mcp_config               --mcp-config <path>
//   LaunchInput::resume_session           --resume <session id>
//   AgentConfig::permission_mode          --permission-prompt-tool
//                                          mcp__storkit__prompt_permission (any mode)
//   AgentConfig::args                     appended verbatim, last, so they can add any flag
//                                          (e.g. --dangerously-skip-permissions). Start them
//                                          with a flag: a bare word right after --mcp-config
//                                          would be read as another MCP config file.
// AgentConfig::prompt is not read here: the caller renders it into LaunchInput::prompt.
std::vector<std::string> claude_argv(const AgentConfig& agent, const LaunchInput& input);

// One line of the CLI's stream-json input: a user message holding `text`, newline-terminated.
std::string claude_user_message(const std::string& text);

}  // namespace stork::claude
