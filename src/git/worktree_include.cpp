#include "git/worktree_include.hpp"

#include <algorithm>
#include <set>

#include "git/contained_path.hpp"

namespace stork {
namespace {

std::vector<std::string> split_nul(const std::string& text) {
  std::vector<std::string> result;
  size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\0', pos);
    if (end == std::string::npos) end = text.size();
    if (end > pos) result.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return result;
}

bool under_worktrees_dir(const std::string& relative) {
  return relative.rfind(".storkit/worktrees/", 0) == 0;
}

std::string io_message(const std::string& what, const std::error_code& error) {
  return what + ": " + error.message();
}

}  // namespace

GitResult<std::vector<std::string>> list_worktree_includes(const GitRepo& main_checkout) {
  auto patterns = main_checkout.root() / kWorktreeIncludeFile;
  std::error_code error;
  if (!std::filesystem::is_regular_file(patterns, error)) return std::vector<std::string>();
  // `--others --ignored` with only --exclude-from lists every untracked file the patterns match,
  // ignored or not; with --exclude-standard, every file the project ignores. We want both.
  auto matching = main_checkout.run(
      {"ls-files", "-z", "--others", "--ignored", "--exclude-from=" + patterns.string()});
  if (!matching) return fail(std::move(matching).take_error());
  auto ignored =
      main_checkout.run({"ls-files", "-z", "--others", "--ignored", "--exclude-standard"});
  if (!ignored) return fail(std::move(ignored).take_error());

  auto ignored_list = split_nul(*ignored);
  std::set<std::string> ignored_set(ignored_list.begin(), ignored_list.end());
  std::vector<std::string> result;
  for (auto& path : split_nul(*matching)) {
    if (ignored_set.count(path) != 0 && !under_worktrees_dir(path)) result.push_back(path);
  }
  std::sort(result.begin(), result.end());
  return result;
}

IoResult<IncludeCopy> copy_worktree_includes(const std::filesystem::path& project_root,
                                             const std::filesystem::path& worktree,
                                             const std::vector<std::string>& files) {
  namespace fs = std::filesystem;
  IncludeCopy result;
  std::error_code error;
  const auto worktrees_dir = fs::weakly_canonical(project_root / ".storkit/worktrees", error);
  for (const auto& relative : files) {
    auto source = resolve_inside(project_root, relative);
    if (!source || lies_within(*source, worktrees_dir)) {
      result.skipped.push_back(relative + ": it leads outside the project (symlink); not copied");
      continue;
    }
    if (!fs::is_regular_file(*source, error)) {
      result.skipped.push_back(relative + ": not a regular file; not copied");
      continue;
    }
    auto target_dir = resolve_inside(worktree, fs::path(relative).parent_path());
    if (!target_dir) {
      result.skipped.push_back(relative + ": its directory leads outside the worktree; not copied");
      continue;
    }
    auto target = *target_dir / fs::path(relative).filename();
    if (fs::is_symlink(target, error)) {
      result.skipped.push_back(relative + ": a symlink in the worktree; not overwritten");
      continue;
    }
    fs::create_directories(*target_dir, error);
    if (error) return fail(IoError{io_message("cannot create " + target_dir->string(), error)});
    fs::copy_file(*source, target, fs::copy_options::overwrite_existing, error);
    if (error) return fail(IoError{io_message("cannot copy " + source->string(), error)});
    fs::permissions(target, fs::status(*source).permissions(), error);
    if (error) return fail(IoError{io_message("cannot set the mode of " + target.string(), error)});
    result.copied.push_back(relative);
  }
  return result;
}

}  // namespace stork
