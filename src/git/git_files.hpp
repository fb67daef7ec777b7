// What the files git keeps for its checkouts say (gitrepository-layout(5)), read instead of
// asking git: the pipeline needs these answers at every start, merge and clean-up, and a git
// process costs milliseconds (bench/RESULTS.md "Pipeline"). Each answer is a sure "yes"; anything
// else means "not shown this way" and the caller asks git (list_worktrees), so a layout these
// readers do not know costs a process, never a wrong answer.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "git/git_repo.hpp"

namespace stork {

// Whether `path` is a linked worktree of `main`'s repository that git has registered, with its
// files there: its `.git` file names an admin dir <common git dir>/worktrees/<name> whose
// `gitdir` file names that `.git` back (what `git worktree list` itself reads).
bool is_registered_worktree(const GitRepo& main, const std::filesystem::path& path);

// The branch `repo`'s checkout has checked out ("main"), from its HEAD file; "" when HEAD is
// detached or does not read as "ref: refs/heads/<name>".
std::string checked_out_branch(const GitRepo& repo);

// The directory all of the repository's checkouts share (where refs/ and info/ are): the
// main checkout's git dir, or what a linked worktree's admin dir names in `commondir`; ""
// when it does not read so.
std::filesystem::path common_git_dir(const GitRepo& repo);

// Whether `text` is a full commit id as git writes it (40 or 64 lowercase hex digits).
bool is_commit_id(std::string_view text);

// The commit id in the loose ref file of `branch` ("" when there is none: a packed ref, a
// symbolic one, another ref store). A loose ref is the branch's value (it overrides a packed
// one), and git writes every ref it updates loose, so right after a branch was made or moved
// this is where its new value is.
std::string loose_branch_commit(const GitRepo& repo, const std::string& branch);

// Branch and commit of the checkout's HEAD when both read from files (a branch checked out
// whose ref is loose), else git is asked (GitRepo::head).
GitResult<GitRepo::Head> head_from_files_or_git(const GitRepo& repo);

}  // namespace stork
