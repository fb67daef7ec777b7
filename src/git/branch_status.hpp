// What a coder's branch holds, for the pipeline engine: whether an agent left work uncommitted
// or committed nothing (completion checks), and the branch's changes for the board. Each call
// runs git synchronously and may be slow on a large tree: call it on a worker thread.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "git/git_repo.hpp"

namespace stork {

struct BranchStatus {
  // Relative to the worktree's top level, as `git status --porcelain` names them: tracked
  // changes (staged or not; a rename by its new path) and untracked files (an untracked
  // directory as "dir/"), never ignored ones.
  std::vector<std::string> uncommitted;
  int commits_ahead = 0;  // commits on HEAD not on the base (`rev-list --count base..HEAD`)
};

// `worktree` is the top level of a (linked) worktree; `base_branch` a local branch, e.g. "main".
GitResult<BranchStatus> branch_status(const std::filesystem::path& worktree,
                                      const std::string& base_branch);

// One file of a branch's changes against its merge base with the base branch.
struct FileDiff {
  std::string path;      // the new path (the old one for a deletion)
  std::string old_path;  // renames only, else ""
  std::string status;    // "added", "modified", "deleted", "renamed"
  int additions = 0;
  int deletions = 0;
  bool binary = false;  // additions and deletions are 0
  std::string patch;    // this file's unified diff text ("diff --git ..." on); "" past the cap
};

struct BranchDiff {
  std::string base_commit;  // the merge base of the branch and the base branch
  std::string head_commit;  // the branch's tip
  std::vector<FileDiff> files;
  bool truncated = false;  // some file's patch was left out to stay within max_patch_bytes
};

// The changes of `branch` since it left `base_branch` (`git diff base...branch`), in git's
// path order. Patches are kept for the files in order until the next one would exceed
// `max_patch_bytes` in total; that file and all after it keep their stats with an empty patch.
GitResult<BranchDiff> diff_against_base(const std::filesystem::path& project_root,
                                        const std::string& branch, const std::string& base_branch,
                                        std::size_t max_patch_bytes = 2 << 20);

// The changes one commit made (`git diff <commit>^1 <commit>`), in the same form: for an item
// whose branch is gone because it was squash-merged, its squash commit shows what it changed.
GitResult<BranchDiff> diff_of_commit(const std::filesystem::path& project_root,
                                     const std::string& commit,
                                     std::size_t max_patch_bytes = 2 << 20);

}  // namespace stork
