// CommandPolicy: the one deny-list of shell commands an agent may not run through stork, used by
// run_command and by prompt_permission (Claude Code's Bash tool). Each rule is a regular
// expression searched in one simple command of the text (the text split at ; & | and newlines)
// and the reason the model reads. Documented in docs/mcp-tools.md; a rule added here is
// enforced by both tools.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stork::tools {

struct DeniedCommand {
  std::string pattern;  // ECMAScript regex, searched in each simple command
  std::string reason;   // why, and what to do instead
};

// Longer commands are refused as such: libstdc++'s recursive regex matcher must not see
// subjects that could exhaust a thread's stack. A script file in the worktree has no limit.
inline constexpr std::size_t kMaxCommandBytes = 8192;

const std::vector<DeniedCommand>& denied_commands();

// The reason `command` is refused, or nullopt when it may run.
std::optional<std::string> refusal_reason(std::string_view command);

}  // namespace stork::tools
