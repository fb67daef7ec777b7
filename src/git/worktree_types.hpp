// The values WorktreeManager hands out: what a worktree is, what creating one did, and why it
// failed. Plain data with no git or JSON in sight, so the agent pool and the MCP tools can
// include it cheaply.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "git/git_repo.hpp"
#include "work/story_id.hpp"

namespace stork {

// One `setup` or `teardown` command of a [[component]], as it ran.
struct StepOutput {
  std::string component;
  std::string command;
  int exit_code = -1;  // -1: it could not be started, or was killed by a signal
  std::string output;  // stdout and stderr interleaved; the tail when it was very long
};

// What failed while creating, removing or listing worktrees. `message` is the whole story for
// a human (the story, the step, and the cause); the fields let callers act on the facts.
struct WorktreeError {
  std::string message;
  std::string story;                      // "" for list()
  std::string step;                       // "git worktree add", "setup", "teardown", ...
  std::optional<GitError> git;            // when git refused: its args, exit code and stderr
  std::optional<StepOutput> failed_step;  // when a component's setup failed
};

struct WorktreeInfo {
  StoryId story;
  std::filesystem::path path;
  std::string branch;  // "feature/story-42_story_login"; "" when detached
  std::string head;    // commit id
};

struct CreatedWorktree {
  WorktreeInfo info;
  bool reused = false;                     // it existed and was set up before: nothing was done
  std::vector<std::string> copied_files;   // from .worktreeinclude, relative paths
  std::vector<std::string> skipped_files;  // "<path>: <why>" (e.g. a symlink out of the project)
  std::vector<StepOutput> setup_steps;
};

}  // namespace stork
