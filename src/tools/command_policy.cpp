#include "tools/command_policy.hpp"

#include <regex>

namespace stork::tools {
namespace {

// Where a command word may stand: the start of a simple command, after variable assignments
// and wrappers that run their arguments as a command (`env X=1 nohup sudo ...`).
constexpr std::string_view kAt =
    R"(^\s*([{!]\s*)*(\w+=\S*\s+)*((exec|env|nohup|time|command|builtin|nice|xargs|timeout\s+\S+)\s+(-\S+\s+)*)*)";

// Splits the text into simple commands. Quote characters are dropped (so `rm -rf "$HOME"` is
// seen as it runs), and the text inside each quoted string is checked as commands of its own
// (so `bash -c "sudo ls"` is seen too).
std::vector<std::string> simple_commands(std::string_view text) {
  std::vector<std::string> pieces{""};
  std::string quoted;
  char quote = 0;
  for (char c : text) {
    if (quote != 0) {
      if (c == quote) {
        pieces.push_back(quoted);
        quoted.clear();
        quote = 0;
      } else {
        quoted += c;
        pieces.front() += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else {
      pieces.front() += c;
    }
  }
  if (!quoted.empty()) pieces.push_back(quoted);
  std::vector<std::string> commands;
  for (const auto& piece : pieces) {
    std::string current;
    for (char c : piece) {
      if (std::string_view(";&|\n()`").find(c) != std::string_view::npos) {
        commands.push_back(std::move(current));
        current.clear();
      } else {
        current += c;
      }
    }
    commands.push_back(std::move(current));
  }
  return commands;
}

struct CompiledRule {
  std::regex regex;
  const DeniedCommand* rule;
};

const std::vector<CompiledRule>& compiled_rules() {
  static const std::vector<CompiledRule> compiled = [] {
    std::vector<CompiledRule> rules;
    for (const auto& rule : denied_commands())
      rules.push_back({std::regex(rule.pattern, std::regex::ECMAScript), &rule});
    return rules;
  }();
  return compiled;
}

}  // namespace

const std::vector<DeniedCommand>& denied_commands() {
  static const std::vector<DeniedCommand> rules = {
      {std::string(kAt) + R"((sudo|doas|su|pkexec)(\s|$))",
       "it runs as another user; agents work as the server's user, inside their worktree"},
      {std::string(kAt) +
           R"(rm\s+(\S+\s+)*(--no-preserve-root|/+\.?|/+\*|~|~/+\.?|~/+\*|\$\{?HOME\}?/*\.?|\$\{?HOME\}?/+\*)(\s|$))",
       "it deletes the root or home directory; delete paths inside the worktree only"},
      {std::string(kAt) + R"(git\s+(-[Cc]\s+\S+\s+|-\S+\s+)*push(\s|$))",
       "stork publishes work through its merge queue; never push (call report_completion or "
       "merge_agent_work instead)"},
      {std::string(kAt) + R"(git\s+(\S+\s+)*(-C|--git-dir|--work-tree)(\s|=|$))",
       "it points git at another repository or checkout; run_command works on the item's "
       "worktree only (it already runs there)"},
      {std::string(kAt) + R"((shutdown|reboot|halt|poweroff|init\s+[06])(\s|$))",
       "it stops or restarts the machine"},
      {std::string(kAt) + R"(mkfs(\.\w+)?(\s|$))", "it formats a file system"},
      {std::string(kAt) + R"(dd\s+(\S+\s+)*of=/dev/)", "it writes to a device"},
      {R"(>\s*/dev/(sd|hd|vd|nvme|xvd|mmcblk))", "it writes to a disk device"},
      {std::string(kAt) +
           R"((chmod|chown|chgrp)\s+(\S+\s+)*-\w*R\w*\s+(\S+\s+)*(/+|~/*|\$\{?HOME\}?/*)(\s|$))",
       "it changes the permissions of the whole root or home directory"},
  };
  return rules;
}

std::optional<std::string> refusal_reason(std::string_view command) {
  if (command.size() > kMaxCommandBytes) {
    return "the command is longer than " + std::to_string(kMaxCommandBytes) +
           " bytes; write it to a script file in the worktree and run that";
  }
  for (const auto& simple : simple_commands(command)) {
    if (simple.find_first_not_of(" \t\r") == std::string::npos) continue;
    for (const auto& [regex, rule] : compiled_rules()) {
      if (std::regex_search(simple, regex)) {
        const auto start = simple.find_first_not_of(" \t\r");
        return "refused `" + simple.substr(start) + "`: " + std::string(rule->reason);
      }
    }
  }
  return std::nullopt;
}

}  // namespace stork::tools
