#include "git/branch_ops.hpp"

#include <algorithm>

#include "git/git_output.hpp"

namespace stork {
namespace {

constexpr std::string_view kHeads = "refs/heads/";

GitResult<bool> exists_in(const GitRepo& repo, const std::string& branch) {
  auto found =
      repo.run({"rev-parse", "--verify", "-q", "--end-of-options", "refs/heads/" + branch});
  if (found) return true;
  if (found.error().exit_code == 1) return false;  // -q: missing is exit 1 without a word
  return fail(std::move(found).take_error());
}

}  // namespace

GitResult<bool> branch_exists(const std::filesystem::path& root, const std::string& branch) {
  auto repo = GitRepo::open(root);
  if (!repo) return fail(std::move(repo).take_error());
  return exists_in(*repo, branch);
}

GitResult<std::vector<std::string>> list_branches(const std::filesystem::path& root,
                                                  const std::string& prefix) {
  auto repo = GitRepo::open(root);
  if (!repo) return fail(std::move(repo).take_error());
  // for-each-ref patterns match whole path components, so "feature/story-" is filtered here.
  auto refs = repo->run({"for-each-ref", "--format=%(refname)", "refs/heads/"});
  if (!refs) return fail(std::move(refs).take_error());
  std::vector<std::string> branches;
  for (const auto& line : split_lines(*refs)) {
    std::string_view ref = line;
    if (!ref.starts_with(kHeads)) continue;
    ref.remove_prefix(kHeads.size());
    if (ref.starts_with(prefix)) branches.emplace_back(ref);
  }
  std::sort(branches.begin(), branches.end());
  return branches;
}

GitResult<void> delete_branch(const std::filesystem::path& root, const std::string& branch) {
  auto repo = GitRepo::open(root);
  if (!repo) return fail(std::move(repo).take_error());
  auto deleted = repo->run({"branch", "-D", "--", branch});
  if (deleted) return {};
  // Never there, or deleted by someone else meanwhile: the outcome the caller wanted. Asked
  // after the attempt rather than before it, which would cost a git process every time.
  auto still = exists_in(*repo, branch);
  if (still && !*still) return {};
  return fail(std::move(deleted).take_error());
}

GitResult<std::string> rev_parse(const std::filesystem::path& root, const std::string& rev) {
  auto repo = GitRepo::open(root);
  if (!repo) return fail(std::move(repo).take_error());
  auto id = repo->run({"rev-parse", "--verify", "--end-of-options", rev});
  if (!id) return fail(std::move(id).take_error());
  return trim_line_end(std::move(*id));
}

}  // namespace stork
