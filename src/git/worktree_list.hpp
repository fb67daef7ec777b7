// The worktrees git knows of, parsed from `git worktree list --porcelain -z` (NUL-separated, so
// a path with a newline in it cannot split a record). A pure parser: no git is run here.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace stork {

struct ListedWorktree {
  std::filesystem::path path;
  std::string head;       // commit id; "" for a bare repository
  std::string branch;     // short name ("main"); "" when detached or bare
  bool prunable = false;  // its directory is gone; `git worktree prune` drops it
};

std::vector<ListedWorktree> parse_worktree_list(std::string_view porcelain_z);

}  // namespace stork
