// The command line that starts the Claude Code CLI for one run of an agent. Pure: builds the
// argv only; the caller (the agent pool) spawns it in the worktree, in a PTY, with CLAUDECODE
// removed from the environment.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/project_config.hpp"

namespace stork::claude {

struct LaunchInput {
  std::string prompt;                         // rendered already (render_prompt)
  std::optional<std::string> resume_session;  // session id of an earlier run to continue
  std::filesystem::path mcp_config;           // the worktree's .mcp.json; empty: none
  std::optional<std::string> default_model;   // project default_coder_model, for coders
};

// argv[0] and the flags, in this order, each only when its source is set:
//   AgentConfig::command (else "claude")  argv[0]
//   LaunchInput::prompt                   -p <prompt>   (a prompt starting with '-' gets a
//                                                        leading space, or the CLI would read
//                                                        it as an option)
//   (always)                              --output-format stream-json --verbose
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

}  // namespace stork::claude
