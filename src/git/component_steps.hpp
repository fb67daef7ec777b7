// Runs the `setup` or `teardown` commands of the project's [[component]]s in a worktree: each
// as `sh -c <command>` (the user wrote shell, and only the user: no story data is spliced in;
// the story arrives as STORK_STORY_ID and STORK_WORKTREE in the environment), with the
// component's `path` below the worktree as working directory and its output captured.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "config/project_config.hpp"
#include "git/worktree_types.hpp"

namespace stork {

enum class ComponentPhase { Setup, Teardown };

struct ComponentStepsRun {
  std::vector<StepOutput> steps;
  std::optional<size_t> first_failure;  // index into steps
};

// Setup stops at the first failing command (later steps usually depend on it); teardown runs
// every command whatever happens, since it is cleaning up. A component path that is absolute,
// leaves the worktree or does not exist counts as a failed step (exit -1) with the reason as
// its output.
ComponentStepsRun run_component_steps(const std::vector<ComponentConfig>& components,
                                      ComponentPhase phase, const StoryId& story,
                                      const std::filesystem::path& worktree);

// The last `max_bytes` of `output` (starting on a whole UTF-8 character), marked as cut.
std::string output_tail(const std::string& output, size_t max_bytes);

}  // namespace stork
