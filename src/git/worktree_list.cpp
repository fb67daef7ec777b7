#include "git/worktree_list.hpp"

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

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Applies one "key value" field of a record to `entry`.
void apply_field(std::string_view field, ListedWorktree& entry) {
  constexpr std::string_view kBranchRef = "refs/heads/";
  auto space = field.find(' ');
  auto key = field.substr(0, space);
  auto value = space == std::string_view::npos ? std::string_view() : field.substr(space + 1);
  if (key == "worktree") {
    entry.path = std::string(value);
  } else if (key == "HEAD") {
    entry.head = std::string(value);
  } else if (key == "branch") {
    entry.branch =
        std::string(starts_with(value, kBranchRef) ? value.substr(kBranchRef.size()) : value);
  } else if (key == "prunable") {
    entry.prunable = true;
  }
}

}  // namespace

std::vector<ListedWorktree> parse_worktree_list(std::string_view porcelain_z) {
  std::vector<ListedWorktree> result;
  ListedWorktree current;
  bool in_record = false;
  size_t pos = 0;
  while (pos < porcelain_z.size()) {
    auto end = porcelain_z.find('\0', pos);
    if (end == std::string_view::npos) end = porcelain_z.size();
    auto field = porcelain_z.substr(pos, end - pos);
    pos = end + 1;
    if (field.empty()) {  // an empty field ends a record
      if (in_record) result.push_back(std::move(current));
      current = ListedWorktree{};
      in_record = false;
      continue;
    }
    apply_field(field, current);
    in_record = true;
  }
  if (in_record) result.push_back(std::move(current));
  return result;
}

GitResult<std::string> run_reading_worktrees(const GitRepo& main,
                                             const std::vector<std::string>& args) {
  auto ran = main.run(args);
  auto pause = std::chrono::milliseconds(10);
  for (int attempt = 0; attempt < 8 && !ran && entry_being_written(ran.error()); ++attempt) {
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(200));
    ran = main.run(args);
  }
  return ran;
}

GitResult<std::vector<ListedWorktree>> list_worktrees(const GitRepo& main) {
  auto listed = run_reading_worktrees(main, {"worktree", "list", "--porcelain", "-z"});
  if (!listed) return fail(std::move(listed).take_error());
  return parse_worktree_list(*listed);
}

}  // namespace stork
