// The worktrees git knows of right now: `git worktree list --porcelain -z` run in the main
// repository and parsed (worktree_list.hpp). Every place that asks git for its worktrees calls
// this, so they all survive the same race: `git worktree add` writes a new entry's metadata
// (.git/worktrees/<name>/commondir, gitdir, HEAD) one file at a time, and a `worktree list` that
// reads the entry in between fails with "fatal: failed to read .git/worktrees/<name>/commondir".
// Such a failure is retried a bounded number of times (about 1 s in all); any other fails at
// once. Blocking: call it where git commands run (a worker), never on a strand.
#pragma once

#include <vector>

#include "git/git_repo.hpp"
#include "git/worktree_list.hpp"

namespace stork {

GitResult<std::vector<ListedWorktree>> list_worktrees(const GitRepo& main);

}  // namespace stork
