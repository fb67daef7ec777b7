// Resolving several names to commit ids with one `git rev-parse`. The pipeline resolves the
// base branch, HEAD and the squash commit together at each step, once per check, and a git
// process costs milliseconds; see bench/RESULTS.md "Pipeline".
#pragma once

#include <string>
#include <vector>

#include "git/git_repo.hpp"

namespace stork {

// One name to resolve: a branch (always refs/heads/<name>, never a tag or file) or any
// commit-ish ("HEAD", a full or abbreviated id).
struct CommitName {
  static CommitName branch(std::string name) { return {std::move(name), true}; }
  static CommitName rev(std::string rev) { return {std::move(rev), false}; }

  std::string name;
  bool is_branch = false;
};

// The full id of the commit `rev` names; "no commit '<rev>'" when it names none.
GitResult<std::string> commit_id(const GitRepo& repo, const std::string& rev);

// The commit ids of `names`, in order. One process when every name resolves; otherwise (or when
// a name looks like an option, or git's answer is not one id per name) each name is resolved
// alone, so a failure is exactly branch_commit's or commit_id's for the first name that fails.
GitResult<std::vector<std::string>> resolve_commits(const GitRepo& repo,
                                                    const std::vector<CommitName>& names);

}  // namespace stork
