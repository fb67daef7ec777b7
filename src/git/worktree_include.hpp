// `.worktreeinclude` (Claude Code's convention): gitignore-style patterns at the project root
// naming files that git ignores but a fresh worktree still needs, such as `.env`. A file is
// copied only when it is BOTH ignored by the project's own ignore rules and matched by a
// pattern, so the copy is ignored in the worktree too and `git status` there stays clean.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "git/git_repo.hpp"

namespace stork {

inline constexpr const char* kWorktreeIncludeFile = ".worktreeinclude";

// Paths relative to the main checkout's root, sorted; empty without a .worktreeinclude. Nothing
// under .storkit/worktrees/ is ever listed (those are other stories' worktrees).
GitResult<std::vector<std::string>> list_worktree_includes(const GitRepo& main_checkout);

struct IncludeCopy {
  std::vector<std::string> copied;   // relative paths
  std::vector<std::string> skipped;  // "<path>: <why>"
};

// Copies each listed file from `project_root` to the same relative path in `worktree`, keeping
// its permission bits. A source whose real path leaves the project (a symlink pointing out) or
// a destination that would be reached through a symlink out of the worktree is skipped with a
// note, never followed; a symlink that stays inside the project is copied as the file it names.
IoResult<IncludeCopy> copy_worktree_includes(const std::filesystem::path& project_root,
                                             const std::filesystem::path& worktree,
                                             const std::vector<std::string>& files);

}  // namespace stork
