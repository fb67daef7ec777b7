#include "chat/git_summary.hpp"

#include <charconv>
#include <sstream>

#include "git/git_repo.hpp"
#include "git/worktree_list.hpp"

namespace stork::chat {

Result<GitSummary, std::string> read_git_summary(const std::filesystem::path& project_root,
                                                 const std::string& base_branch) {
  auto repo = GitRepo::open(project_root);
  if (!repo.ok()) return fail(repo.error().message());
  GitSummary summary;
  summary.base_branch = base_branch;
  auto head = repo.value().run({"log", "-1", "--format=%h%x00%s", base_branch, "--"});
  if (!head.ok()) return fail(head.error().message());
  const std::string& text = head.value();
  const auto nul = text.find('\0');
  summary.head = text.substr(0, nul);
  if (nul != std::string::npos) summary.subject = text.substr(nul + 1);
  while (!summary.subject.empty() && summary.subject.back() == '\n')
    summary.subject.pop_back();

  auto listed = list_worktrees(repo.value());
  if (!listed.ok()) return fail(listed.error().message());
  for (const auto& worktree : listed.value())
    summary.worktrees.push_back({worktree.path.string(), worktree.branch});

  auto branches = repo.value().run({"for-each-ref", "--format=%(refname:short)", "refs/heads"});
  if (!branches.ok()) return fail(branches.error().message());
  std::istringstream lines(branches.value());
  for (std::string branch; std::getline(lines, branch);) {
    if (branch.empty() || branch == base_branch) continue;
    std::string range = base_branch;
    range.append("..").append(branch);
    auto count = repo.value().run({"rev-list", "--count", range, "--"});
    if (!count.ok()) continue;  // a branch deleted meanwhile
    int commits = 0;
    const std::string& number = count.value();
    std::from_chars(number.data(), number.data() + number.size(), commits);
    if (commits > 0) summary.ahead.push_back({branch, commits});
  }
  return summary;
}

}  // namespace stork::chat
