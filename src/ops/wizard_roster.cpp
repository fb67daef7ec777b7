// The roster step's template: which agent programs and API keys this machine has, and the
// [[agent]] tables that follow from them, for the runtimes this build supports.
#include <cstdlib>
#include <iterator>
#include <system_error>

#include <unistd.h>

#include "ops/wizard_templates.hpp"

namespace stork::ops {
namespace fs = std::filesystem;

namespace {

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string_view rest(path);
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    if (dir.empty()) continue;
    const auto candidate = fs::path(dir) / program;
    std::error_code error;
    if (fs::is_regular_file(candidate, error) && ::access(candidate.c_str(), X_OK) == 0)
      return true;
  }
  return false;
}

bool contains(const std::vector<std::string>& list, std::string_view value) {
  for (const auto& entry : list) {
    if (entry == value) return true;
  }
  return false;
}

// One way to run agents: the runtime, its model, and why it was proposed.
struct Choice {
  std::string runtime;
  std::string model;
  std::string because;
};

std::vector<Choice> choices(const RosterEnvironment& env, const RuntimeSupported& supported,
                            std::string& notes) {
  const Choice candidates[] = {
      {"claude-code", "claude-sonnet-4-5", "claude is on the PATH"},
      {"codex", "gpt-5-codex", "codex is on the PATH"},
      {"gemini-cli", "gemini-2.5-pro", "gemini is on the PATH"},
      {"openai", "gpt-4.1", "OPENAI_API_KEY is set"},
      {"gemini", "gemini-2.5-pro", "GEMINI_API_KEY is set"},
  };
  const bool present[] = {contains(env.clis, "claude"), contains(env.clis, "codex"),
                          contains(env.clis, "gemini"), contains(env.keys, "OPENAI_API_KEY"),
                          contains(env.keys, "GEMINI_API_KEY")};
  std::vector<Choice> out;
  for (std::size_t i = 0; i < std::size(candidates); ++i) {
    if (!present[i]) continue;
    if (supported(candidates[i].runtime)) {
      out.push_back(candidates[i]);
    } else {
      notes += "# " + candidates[i].because + ", but this stork has no '" + candidates[i].runtime +
               "' runtime.\n";
    }
  }
  if (contains(env.keys, "ANTHROPIC_API_KEY") && !contains(env.clis, "claude"))
    notes += "# ANTHROPIC_API_KEY is set: install Claude Code (claude) to use it.\n";
  return out;
}

std::string agent_table(const std::string& name, std::string_view stage, std::string_view role,
                        const Choice& choice, std::string_view prompt) {
  return "\n[[agent]]\nname = \"" + name + "\"\nstage = \"" + std::string(stage) + "\"\nrole = \"" +
         std::string(role) + "\"\nruntime = \"" + choice.runtime + "\"\nmodel = \"" + choice.model +
         "\"  # " + choice.because + "\nprompt = \"\"\"" + std::string(prompt) + "\"\"\"\n";
}

constexpr std::string_view kCoderPrompt =
    "You are {{agent_name}}. Implement work item {{story_id}} in this git worktree "
    "({{worktree_path}}, branched from {{base_branch}}). Read .storkit/README.md and the item in "
    ".storkit/work/. Make the acceptance criteria true, run script/test, and commit your work.";
constexpr std::string_view kQaPrompt =
    "You are the QA agent. Review work item {{story_id}} in {{worktree_path}} against its "
    "acceptance criteria and the diff from {{base_branch}}; call approve_qa or reject_qa.";
constexpr std::string_view kMergePrompt =
    "You are the mergemaster. Work item {{story_id}} failed to merge onto {{base_branch}}: "
    "resolve it on the feature branch in {{worktree_path}}, commit, and call merge_agent_work.";

}  // namespace

RosterEnvironment detect_roster_environment() {
  RosterEnvironment env;
  for (const char* cli : {"claude", "codex", "gemini"}) {
    if (on_path(cli)) env.clis.emplace_back(cli);
  }
  for (const char* key : {"ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY"}) {
    const char* value = std::getenv(key);
    if (value != nullptr && *value != '\0') env.keys.emplace_back(key);
  }
  return env;
}

std::string roster_draft(const RosterEnvironment& environment, const RuntimeSupported& supported) {
  std::string notes;
  auto found = choices(environment, supported, notes);
  std::string out = "# The agents (proposed from what this machine has).\n" + notes;
  if (found.empty()) {
    out +=
        "# No agent CLI on the PATH and no API key set: install Claude Code "
        "(npm i -g @anthropic-ai/claude-code) or set an API key, then retry this step.\n";
    found.push_back({"claude-code", "claude-sonnet-4-5", "the default"});
  }
  // Coders on every way found (the first twice when it is the only one); review and merges
  // on the first.
  out += agent_table("coder-1", "coder", "Implements one work item in its own worktree", found[0],
                     kCoderPrompt);
  const Choice& second = found.size() > 1 ? found[1] : found[0];
  out += agent_table("coder-2", "coder", "Implements one work item in its own worktree", second,
                     kCoderPrompt);
  for (std::size_t i = 2; i < found.size(); ++i) {
    out += agent_table("coder-" + std::to_string(i + 1), "coder",
                       "Implements one work item in its own worktree", found[i], kCoderPrompt);
  }
  out += agent_table("qa", "qa", "Reviews finished work against the acceptance criteria", found[0],
                     kQaPrompt);
  out +=
      agent_table("mergemaster", "mergemaster", "Resolves failed merges", found[0], kMergePrompt);
  return out;
}

}  // namespace stork::ops
