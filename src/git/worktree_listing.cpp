#include "git/worktree_listing.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace stork {
namespace {

// git's words when it read an entry of .git/worktrees that `worktree add` is still writing.
bool entry_being_written(const GitError& error) {
  return error.stderr_text.find("failed to read") != std::string::npos &&
         error.stderr_text.find("worktrees/") != std::string::npos;
}

}  // namespace

GitResult<std::vector<ListedWorktree>> list_worktrees(const GitRepo& main) {
  const std::vector<std::string> args = {"worktree", "list", "--porcelain", "-z"};
  auto listed = main.run(args);
  auto pause = std::chrono::milliseconds(10);
  for (int attempt = 0; attempt < 8 && !listed && entry_being_written(listed.error()); ++attempt) {
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(200));
    listed = main.run(args);
  }
  if (!listed) return fail(std::move(listed).take_error());
  return parse_worktree_list(*listed);
}

}  // namespace stork
