#include "git/git_files.hpp"

#include "base/file_io.hpp"
#include "base/git_link.hpp"
#include "git/git_output.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;

fs::path canonical_or_empty(const fs::path& path) {
  std::error_code error;
  auto real = fs::canonical(path, error);
  return error ? fs::path() : real;
}

// A one-line file git wrote (HEAD, gitdir, commondir), without its line end.
std::string read_line_file(const fs::path& file) {
  auto text = read_file(file);
  return text ? trim_line_end(std::move(*text)) : std::string();
}

// The directory shared by all of a repository's checkouts: a linked worktree's admin dir names
// it in `commondir` (relative to itself, as git writes it); the main checkout's git dir is it.
fs::path common_dir(const fs::path& git_dir) {
  auto named = read_line_file(git_dir / "commondir");
  if (named.empty()) return canonical_or_empty(git_dir);
  fs::path common = named;
  return canonical_or_empty(common.is_relative() ? git_dir / common : common);
}

}  // namespace

fs::path common_git_dir(const GitRepo& repo) {
  auto git_dir = repo.git_dir();
  return git_dir ? common_dir(*git_dir) : fs::path();
}

bool is_commit_id(std::string_view text) {
  if (text.size() != 40 && text.size() != 64) return false;  // SHA-1 or SHA-256
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool is_registered_worktree(const GitRepo& main, const fs::path& path) {
  const auto dot_git = path / ".git";
  std::error_code error;
  if (!fs::is_regular_file(dot_git, error)) return false;
  auto admin = read_git_link(dot_git);
  if (!admin) return false;
  const auto admin_dir = canonical_or_empty(*admin);
  auto main_git_dir = main.git_dir();
  if (admin_dir.empty() || !main_git_dir) return false;
  if (admin_dir.parent_path() != common_dir(*main_git_dir) / "worktrees") return false;

  fs::path back = read_line_file(admin_dir / "gitdir");
  if (back.empty()) return false;
  if (back.is_relative()) back = admin_dir / back;  // worktree.useRelativePaths
  const auto real_dot_git = canonical_or_empty(dot_git);
  return !real_dot_git.empty() && canonical_or_empty(back) == real_dot_git;
}

std::string checked_out_branch(const GitRepo& repo) {
  constexpr std::string_view kBranchRef = "ref: refs/heads/";
  auto git_dir = repo.git_dir();
  if (!git_dir) return "";
  auto head = read_line_file(*git_dir / "HEAD");
  if (!head.starts_with(kBranchRef)) return "";
  return head.substr(kBranchRef.size());
}

std::string loose_branch_commit(const GitRepo& repo, const std::string& branch) {
  // git's own rules (check-ref-format) forbid "..": a name with it is nobody's branch here.
  if (branch.empty() || branch.front() == '/' || branch.find("..") != std::string::npos) return "";
  const auto common = common_git_dir(repo);
  if (common.empty()) return "";
  auto value = read_line_file(common / "refs" / "heads" / branch);
  return is_commit_id(value) ? value : "";
}

GitResult<GitRepo::Head> head_from_files_or_git(const GitRepo& repo) {
  auto branch = checked_out_branch(repo);
  auto commit = loose_branch_commit(repo, branch);
  if (!commit.empty()) return GitRepo::Head{std::move(branch), std::move(commit)};
  return repo.head();
}

}  // namespace stork
