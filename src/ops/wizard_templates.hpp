// The setup wizard's drafts when no agent is configured: each step's file from a template,
// filled in with what a quick look at the repository shows (the README's title and first
// paragraph, the build files present, package.json directories) and, for the roster, which
// agent CLIs are on the PATH and which API keys are set. Also the prompt an agent drafting a
// step is given. Pure functions of their inputs, except the two detect_* readers.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ops/wizard_steps.hpp"

namespace stork::ops {

// What the repository shows at a glance.
struct ProjectFacts {
  std::string readme_title;               // the README's first heading, or the directory's name
  std::string readme_summary;             // its first paragraph
  std::vector<std::string> markers;       // build files present: "CMakeLists.txt", ...
  std::vector<std::string> package_dirs;  // sub-directories with a package.json ("web")
  std::string test_command;               // a guess from the markers ("" when none)
};
ProjectFacts detect_project_facts(const std::filesystem::path& project_root);

// Which agent programs and model API keys this machine (the server's environment) has.
struct RosterEnvironment {
  std::vector<std::string> clis;  // of claude, codex, gemini: those on the PATH
  std::vector<std::string> keys;  // of ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY: set
};
RosterEnvironment detect_roster_environment();

// `supported(runtime)`: whether this build has the runtime (agents::make_runtime).
using RuntimeSupported = std::function<bool(const std::string& runtime)>;

// The template draft of `step`. `feedback` (a retry's) is kept in the draft for the person to
// act on: a template cannot follow it.
std::string template_draft(WizardStep step, const ProjectFacts& facts,
                           const RosterEnvironment& environment, const RuntimeSupported& supported,
                           const std::string& feedback);

// What an agent drafting `step` is asked to do: inspect the repository read-only and answer
// with the file's whole content as its final message. `previous` and `feedback` for a retry.
std::string draft_prompt(WizardStep step, const RosterEnvironment& environment,
                         const std::string& previous, const std::string& feedback);

// An agent's final message as a draft: the content of a single fenced block when the whole
// answer is one, else the text itself, trimmed.
std::string draft_from_answer(const std::string& answer);

}  // namespace stork::ops
