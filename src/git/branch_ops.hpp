// Branch look-ups and deletion for the pipeline engine, each a synchronous git call (run them
// off the engine's strand). `root` is any directory of the repository; branch names are short
// ("feature/story-42_story_login") and always meant as refs/heads/<name>, never a tag or file.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "git/git_repo.hpp"

namespace stork {

GitResult<bool> branch_exists(const std::filesystem::path& root, const std::string& branch);

// Short names of the local branches starting with `prefix` (a plain string prefix, e.g.
// "feature/story-"; "" lists all), sorted.
GitResult<std::vector<std::string>> list_branches(const std::filesystem::path& root,
                                                  const std::string& prefix);

// `git branch -D`; succeeds when the branch is already gone. Git still refuses to delete a
// branch a worktree has checked out, and that refusal is returned.
GitResult<void> delete_branch(const std::filesystem::path& root, const std::string& branch);

// The full object id `rev` names ("main", "HEAD~2", an abbreviated id).
GitResult<std::string> rev_parse(const std::filesystem::path& root, const std::string& rev);

}  // namespace stork
