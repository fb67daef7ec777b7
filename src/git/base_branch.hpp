// Which branch new worktrees start from: project.toml's `base_branch` when set, else the branch
// the main checkout has checked out. A detached HEAD has no branch to merge back into, so it is
// an error that tells the user how to fix it rather than a guess.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "git/worktree_types.hpp"

namespace stork {

Result<std::string, WorktreeError> resolve_base_branch(
    const std::filesystem::path& project_root, const std::optional<std::string>& configured);

}  // namespace stork
