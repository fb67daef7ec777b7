// PermissionRules: the "always" answers a person gave to agents' permission questions, kept in
// .storkit/permissions.toml (committed or not, as the project likes) and applied without
// asking. Pure file logic: parse (toml++), match, append. Callers run it on worker threads.
//
//   [[allow]]                       # or [[deny]]
//   agent = "coder-1"               # required: whose questions it answers
//   tool = "Bash"                   # required: Claude Code's tool name
//   command = "npm test"            # Bash: exactly this command
//   input = '{"file_path": "a.md"}' # other tools: exactly this input (a JSON object)
//   pattern = "^npm (test|run lint)$"  # ECMAScript regex over the whole command (Bash) or
//                                      # the input's JSON text (other tools)
//   message = "..."                 # [[deny]] only: what the agent reads
// A rule with none of command, input, pattern answers every use of the tool. Deny rules are
// looked at first.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ops/op_error.hpp"

namespace stork::ops {

struct PermissionRule {
  bool allow = true;
  std::string agent;
  std::string tool;
  std::optional<std::string> command;
  std::optional<std::string> input;  // a JSON object's text
  std::optional<std::string> pattern;
  std::string message;  // deny rules
  int line = 0;         // where it is written (0: not read from a file)
};

// What a rule is matched against.
struct PermissionSubject {
  std::string agent;
  std::string tool;
  std::string input_json;              // the tool's input, a JSON object's text
  std::optional<std::string> command;  // Bash: input.command
};

inline constexpr const char* kPermissionRulesFile = ".storkit/permissions.toml";

// The rules of `file` in file order; none when it does not exist. A file that is not valid
// TOML, or a rule with a missing or wrong field, is an OpError (kind Malformed) whose message
// starts with "<file>:<line>:<column>:" and whose field names the key ("allow[0].tool").
OpResult<std::vector<PermissionRule>> load_permission_rules(const std::filesystem::path& file);

// The first deny rule that matches, else the first allow rule; null when none does.
const PermissionRule* find_rule(const std::vector<PermissionRule>& rules,
                                const PermissionSubject& subject);

// The rule "always answer this exact question so": command for Bash, input otherwise.
PermissionRule exact_rule(const PermissionSubject& subject, bool allow, std::string message);

// Appends `rule` as a new [[allow]] / [[deny]] table at the end of `file` (created if missing),
// keeping every byte already there (comments included). Refused, writing nothing, when the
// file as it is does not load.
OpResult<void> append_permission_rule(const std::filesystem::path& file,
                                      const PermissionRule& rule);

}  // namespace stork::ops
