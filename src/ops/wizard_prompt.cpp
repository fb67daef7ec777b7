// What an agent drafting a wizard step is asked: the step's file, how to look (read-only), and
// that its final message is the file's content and nothing else.
#include "ops/wizard_templates.hpp"

namespace stork::ops {
namespace {

std::string_view step_task(WizardStep step) {
  switch (step) {
    case WizardStep::Context:
      return "Write .storkit/specs/00_CONTEXT.md: what this project is for, who uses it and what "
             "matters most, in markdown, short and true. Base it on the README and the code.";
    case WizardStep::Stack:
      return "Write .storkit/specs/tech/STACK.md: the languages, frameworks, how to build and "
             "test, and the conventions code must follow here, in markdown.";
    case WizardStep::Gate:
      return "Write script/test, the project's gate: a bash script (start with "
             "#!/usr/bin/env bash, set -euo pipefail, cd \"$(dirname \"$0\")/..\") that runs "
             "this project's tests and exits 0 only when they pass.";
    case WizardStep::Components:
      return "Write the [[component]] tables of .storkit/project.toml (TOML only): each part "
             "that needs setting up in a fresh worktree, with name, path, setup = [commands] "
             "and teardown = [commands]. Only comments when nothing needs setting up.";
    case WizardStep::Agents:
      return "Write the [[agent]] tables of .storkit/project.toml (TOML only): name, stage "
             "(coder, qa, mergemaster), role, runtime, model, prompt. Use only runtimes whose "
             "program or API key is available (listed below).";
  }
  return "";
}

}  // namespace

std::string draft_prompt(WizardStep step, const RosterEnvironment& environment,
                         const std::string& previous, const std::string& feedback) {
  std::string prompt =
      "You are drafting one file of this repository's stork setup. Inspect the repository "
      "read-only (read files, list directories); do not change, create or delete any file and "
      "do not run commands that change anything.\n\n";
  prompt += std::string(step_task(step)) + "\n";
  if (step == WizardStep::Agents) {
    prompt += "\nAgent programs on the PATH:";
    for (const auto& cli : environment.clis)
      prompt += " " + cli;
    prompt += "\nAPI keys set:";
    for (const auto& key : environment.keys)
      prompt += " " + key;
    prompt += "\n";
  }
  if (!previous.empty())
    prompt += "\nYour previous draft was:\n<previous-draft>\n" + previous + "</previous-draft>\n";
  if (!feedback.empty())
    prompt += "\nThe person asked for changes:\n<feedback>\n" + feedback + "\n</feedback>\n";
  prompt +=
      "\nAnswer with the file's complete content as your final message and nothing else (no "
      "preamble, no explanation).";
  return prompt;
}

}  // namespace stork::ops
