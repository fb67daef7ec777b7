#include "config/permission_settings.hpp"

#include <algorithm>

namespace stork {

std::string_view to_string(PermissionMode mode) {
  switch (mode) {
    case PermissionMode::Allow:
      return "allow";
    case PermissionMode::Ask:
      return "ask";
    case PermissionMode::Deny:
      return "deny";
  }
  return "allow";
}

std::optional<PermissionMode> parse_permission_mode(std::string_view text) {
  for (auto mode : {PermissionMode::Allow, PermissionMode::Ask, PermissionMode::Deny}) {
    if (text == to_string(mode)) return mode;
  }
  return std::nullopt;
}

}  // namespace stork

namespace stork::config_detail {

void read_permission_mode(TableReader& table, AgentConfig& agent, const std::string& owner) {
  auto text = table.string("permission_mode");
  if (!text) return;
  auto mode = parse_permission_mode(*text);
  if (!mode) {
    table.error("permission_mode",
                owner + "unknown permission_mode '" + *text + "' (expected ask, allow or deny)");
    return;
  }
  agent.permission_mode = mode;
  if (agent.runtime != "claude-code" && agent.runtime != "acp") {
    table.warning("permission_mode", owner +
                                         "'permission_mode' is used only by the claude-code "
                                         "and acp runtimes (this agent's runtime is " +
                                         agent.runtime + ")");
  }
  // Both would decide the same question: Claude Code takes the skip over the prompt tool, and
  // a second --permission-prompt-tool would replace ours.
  for (const char* flag : {"--dangerously-skip-permissions", "--permission-prompt-tool"}) {
    if (std::find(agent.args.begin(), agent.args.end(), flag) != agent.args.end()) {
      table.error("permission_mode", owner + "'permission_mode' and " + flag +
                                         " in 'args' both decide permissions: keep one");
    }
  }
}

void read_permission_timeout(TableReader& root, ProjectConfig& config) {
  auto timeout = root.integer("permission_timeout_secs");
  if (!timeout) return;
  if (*timeout < 1 || *timeout > 86400) {
    root.error(
        "permission_timeout_secs",
        "'permission_timeout_secs' must be between 1 and 86400, got " + std::to_string(*timeout));
    return;
  }
  config.permission_timeout_secs = static_cast<int>(*timeout);
}

}  // namespace stork::config_detail
