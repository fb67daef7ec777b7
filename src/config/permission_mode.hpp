// PermissionMode: how a claude-code agent's permission questions are answered (the agent's
// `permission_mode` in project.toml; docs/permissions.md). Every mode but an absent one starts
// the CLI with `--permission-prompt-tool mcp__storkit__prompt_permission`. A value type only.
#pragma once

#include <optional>
#include <string_view>

namespace stork {

// Allow: stork answers alone, refusing only what the deny-list refuses (docs/mcp-tools.md).
// Ask: a person decides (board, CLI, REST), unless the deny-list or an "always" rule does.
// Deny: every question is refused, unless an "always" rule allows it.
enum class PermissionMode { Allow, Ask, Deny };

std::string_view to_string(PermissionMode mode);
std::optional<PermissionMode> parse_permission_mode(std::string_view text);

// The tool name Claude Code is given with --permission-prompt-tool.
inline constexpr std::string_view kPermissionPromptTool = "mcp__storkit__prompt_permission";

}  // namespace stork
