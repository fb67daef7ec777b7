// The worktrees git knows of: `git worktree list --porcelain -z` (NUL-separated, so a path with
// a newline in it cannot split a record), run by list_worktrees and parsed by the pure
// parse_worktree_list.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "git/git_repo.hpp"

namespace stork {

struct ListedWorktree {
  std::filesystem::path path;
  std::string head;       // commit id; "" for a bare repository
  std::string branch;     // short name ("main"); "" when detached or bare
  bool prunable = false;  // its directory is gone; `git worktree prune` drops it
};

std::vector<ListedWorktree> parse_worktree_list(std::string_view porcelain_z);

// Runs `git worktree list` in the main repository and parses it. Every place that asks git for
// its worktrees calls this, so they all survive the same race: `git worktree add` writes a new
// entry's metadata (.git/worktrees/<name>/commondir, gitdir, HEAD) one file at a time, and a
// `worktree list` that reads the entry in between fails with "fatal: failed to read
// .git/worktrees/<name>/commondir". That failure is retried a bounded number of times (about
// 1 s in all); any other fails at once. Blocking: call it where git commands run (a worker),
// never on a strand.
GitResult<std::vector<ListedWorktree>> list_worktrees(const GitRepo& main);

// Runs `git <args>` (a `worktree list` or `worktree add`: both read every entry of
// .git/worktrees first) with the same bounded retry of that one failure. A `worktree add` that
// fails this way has created nothing yet, so running it again is safe.
GitResult<std::string> run_reading_worktrees(const GitRepo& main,
                                             const std::vector<std::string>& args);

}  // namespace stork
