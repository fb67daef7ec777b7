#include "git/commit_resolve.hpp"

#include <algorithm>

#include "git/git_output.hpp"

namespace stork {
namespace {

GitResult<std::string> resolve_one(const GitRepo& repo, const CommitName& name) {
  return name.is_branch ? branch_commit(repo, name.name) : commit_id(repo, name.name);
}

bool is_object_id(std::string_view line) {
  return (line.size() == 40 || line.size() == 64) &&
         std::all_of(line.begin(), line.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Without --verify, rev-parse takes many names; the trailing "--" makes each one a revision
// (never a path) and is echoed back last. Empty when git's answer is anything else: a name that
// does not resolve, a range that printed two lines, a name git read as an option.
std::vector<std::string> resolve_together(const GitRepo& repo,
                                          const std::vector<CommitName>& names) {
  std::vector<std::string> args = {"rev-parse"};
  for (const auto& name : names) {
    if (name.name.empty() || name.name.front() == '-') return {};
    args.push_back((name.is_branch ? "refs/heads/" : "") + name.name + "^{commit}");
  }
  args.emplace_back("--");
  auto printed = repo.run(args);
  if (!printed) return {};
  auto ids = split_lines(*printed);
  if (ids.size() != names.size() + 1 || ids.back() != "--") return {};
  ids.pop_back();
  if (!std::all_of(ids.begin(), ids.end(), is_object_id)) return {};
  return ids;
}

}  // namespace

GitResult<std::string> commit_id(const GitRepo& repo, const std::string& rev) {
  std::vector<std::string> args = {"rev-parse", "--verify", "-q", "--end-of-options",
                                   rev + "^{commit}"};
  auto id = repo.run(args);
  if (id) {
    auto full = trim_line_end(std::move(*id));
    // --verify still answers "^<id>" for "^<rev>": a negation, not a commit.
    if (is_object_id(full)) return full;
  } else if (id.error().exit_code != 1) {
    return fail(std::move(id).take_error());
  }
  return fail(git_failure(args, "no commit '" + rev + "'"));
}

GitResult<std::vector<std::string>> resolve_commits(const GitRepo& repo,
                                                    const std::vector<CommitName>& names) {
  if (names.size() > 1) {
    if (auto ids = resolve_together(repo, names); !ids.empty()) return ids;
  }
  std::vector<std::string> ids;
  for (const auto& name : names) {
    auto id = resolve_one(repo, name);
    if (!id) return fail(std::move(id).take_error());
    ids.push_back(std::move(*id));
  }
  return ids;
}

}  // namespace stork
