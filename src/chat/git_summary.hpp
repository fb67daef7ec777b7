// What `git` in chat reports: the base branch's head, the worktrees git knows of, and the
// local branches with commits the base branch does not have. Blocking (runs git): call it on
// the shared worker pool.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace stork::chat {

struct GitSummary {
  std::string base_branch;
  std::string head;  // short commit id
  std::string subject;
  struct Worktree {
    std::string path;
    std::string branch;  // "" when detached
  };
  std::vector<Worktree> worktrees;
  struct Ahead {
    std::string branch;
    int commits = 0;
  };
  std::vector<Ahead> ahead;  // branches with at least one commit over the base
};

// The error is git's own message.
Result<GitSummary, std::string> read_git_summary(const std::filesystem::path& project_root,
                                                 const std::string& base_branch);

}  // namespace stork::chat
