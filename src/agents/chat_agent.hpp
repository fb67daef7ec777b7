// How the project chat's agent is confined (docs/project-chat.md): it runs in the main checkout,
// so it must not change files there. For claude-code that is the CLI's own permission setup,
// built here from the roster entry; other runtimes run as configured (their own settings decide).
// Pure: builds a config value only.
#pragma once

#include <optional>
#include <string_view>

#include "config/project_config.hpp"

namespace stork::agents {

// Tools the chat's claude-code agent uses without asking: reading and searching files, and
// every tool of stork's MCP server ("mcp__storkit": items, agents, runs).
inline constexpr std::string_view kChatAllowedTools[] = {"Read", "Glob", "Grep", "LS",
                                                         "mcp__storkit"};
// Tools it may not use at all (--disallowedTools): the CLI's file editors.
inline constexpr std::string_view kChatDisallowedTools = "Edit,Write,MultiEdit,NotebookEdit";

// The chat's claude-code agent: `allowed_tools` replaced by kChatAllowedTools, the editors
// disallowed, flags that skip or loosen permissions (--dangerously-skip-permissions,
// --allow-dangerously-skip-permissions, --permission-mode X, --allowedTools X,
// --disallowedTools X) removed from `args`, and every other question (Bash, WebFetch, ...)
// asked through stork's prompt_permission in chat_permission_mode. Other runtimes: unchanged.
AgentConfig chat_agent_config(const AgentConfig& agent);

// The mode the chat's questions are answered in: "deny" when the agent says so, else "ask"
// (a person on the board decides; "allow" would let Bash change files unasked).
PermissionMode chat_permission_mode(std::optional<PermissionMode> configured);

}  // namespace stork::agents
