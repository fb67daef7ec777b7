// Verification after a merge, and crash recovery's "did this story land already?".
#include "git/commit_resolve.hpp"
#include "git/git_files.hpp"
#include "git/git_output.hpp"
#include "git/merge_workspace.hpp"

namespace stork {
namespace {

std::string without_trailing_space(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
    line.remove_suffix(1);
  return std::string(line);
}

bool has_trailer_line(std::string_view message, const std::string& wanted) {
  size_t pos = 0;
  while (pos <= message.size()) {
    auto end = message.find('\n', pos);
    if (end == std::string_view::npos) end = message.size();
    if (without_trailing_space(message.substr(pos, end - pos)) == wanted) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

GitResult<LandedCheck> check_landed(const std::filesystem::path& project_root,
                                    const std::string& base_branch, const std::string& commit) {
  auto repo = GitRepo::open(project_root);
  if (!repo) return fail(std::move(repo).take_error());
  LandedCheck check;
  std::string full;
  // Right after the advance the base's ref is loose and names the commit: read so, that is
  // the base's value. Anything else (another value, an abbreviated `commit`) asks git.
  if (auto loose = loose_branch_commit(*repo, base_branch); !loose.empty() && loose == commit) {
    check.base_head = commit;
    full = commit;
  } else {
    auto ids = resolve_commits(*repo, {CommitName::branch(base_branch), CommitName::rev(commit)});
    if (!ids) return fail(std::move(ids).take_error());
    check.base_head = std::move((*ids)[0]);
    full = std::move((*ids)[1]);
  }

  check.base_is_commit = check.base_head == full;
  check.on_base = check.base_is_commit;
  if (!check.on_base) {
    auto ancestor = repo->run({"merge-base", "--is-ancestor", full, check.base_head});
    if (!ancestor && ancestor.error().exit_code != 1) return fail(std::move(ancestor).take_error());
    check.on_base = ancestor.ok();
  }

  // --root: a commit without parents is compared with the empty tree.
  auto changed = repo->run({"diff-tree", "-r", "-z", "--name-only", "--no-renames",
                            "--no-commit-id", "--root", "-m", "--first-parent", full});
  if (!changed) return fail(std::move(changed).take_error());
  check.changed_files = split_nul(*changed);
  return check;
}

GitResult<std::optional<std::string>> find_landed_merge(const std::filesystem::path& project_root,
                                                        const std::string& base_branch,
                                                        const StoryId& story, int depth) {
  auto repo = GitRepo::open(project_root);
  if (!repo) return fail(std::move(repo).take_error());
  auto base = branch_commit(*repo, base_branch);
  if (!base) return fail(std::move(base).take_error());
  if (depth <= 0) return std::optional<std::string>();

  // Matched here line by line rather than with --grep, whose -n would count matches, not
  // commits, and whose pattern "Stork-Merge: 1_story_a" would also find 1_story_ab.
  auto log = repo->run({"log", "-z", "--no-show-signature", "--no-color", "--format=%H%n%B", "-n",
                        std::to_string(depth), *base, "--"});
  if (!log) return fail(std::move(log).take_error());
  const std::string wanted = "Stork-Merge: " + story.str();
  for (const auto& record : split_nul(*log)) {
    auto newline = record.find('\n');
    if (newline == std::string::npos) continue;
    if (has_trailer_line(std::string_view(record).substr(newline + 1), wanted))
      return std::optional<std::string>(record.substr(0, newline));
  }
  return std::optional<std::string>();
}

}  // namespace stork
