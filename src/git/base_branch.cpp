#include "git/base_branch.hpp"

namespace stork {

Result<std::string, WorktreeError> resolve_base_branch(
    const std::filesystem::path& project_root, const std::optional<std::string>& configured) {
  const std::string step = "resolve base branch";
  if (configured && !configured->empty()) return *configured;
  auto repo = GitRepo::open(project_root);
  if (!repo) {
    auto git = std::move(repo).take_error();
    return fail(WorktreeError{step + ": " + git.message(), "", step, git, std::nullopt});
  }
  auto branch = repo->current_branch();
  if (branch) return std::move(*branch);
  auto git = std::move(branch).take_error();
  // `symbolic-ref -q` exits 1 without a word when HEAD is detached; anything else is git's own
  // failure and keeps its message.
  if (git.exit_code == 1 && git.stderr_text.empty()) {
    return fail(WorktreeError{step + ": HEAD of " + repo->root().string() +
                                  " is detached, so there is no branch to start worktrees from; "
                                  "check out a branch or set base_branch in "
                                  ".storkit/project.toml",
                              "", step, git, std::nullopt});
  }
  return fail(WorktreeError{step + ": " + git.message(), "", step, git, std::nullopt});
}

}  // namespace stork
