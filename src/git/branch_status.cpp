#include "git/branch_status.hpp"

#include <charconv>

#include "git/git_output.hpp"

namespace stork {
namespace {

// `status --porcelain -z` entries are "XY path"; a rename or copy is followed by a second
// entry holding the old path.
std::vector<std::string> parse_porcelain_paths(std::string_view porcelain_z) {
  std::vector<std::string> paths;
  auto entries = split_nul(porcelain_z);
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    if (entry.size() < 4) continue;
    paths.push_back(entry.substr(3));
    if (entry[0] == 'R' || entry[0] == 'C') ++i;  // skip the old path
  }
  return paths;
}

}  // namespace

GitResult<BranchStatus> branch_status(const std::filesystem::path& worktree,
                                      const std::string& base_branch) {
  auto repo = GitRepo::open_toplevel(worktree);
  if (!repo) return fail(std::move(repo).take_error());

  BranchStatus status;

  // --untracked-files=normal overrides a user's showUntrackedFiles=no, which would hide an
  // agent's never-added files; --no-optional-locks keeps us from taking index.lock under an
  // agent that may be running git in the same worktree.
  auto porcelain = repo->run({"--no-optional-locks", "status", "--porcelain=v1", "-z",
                              "--untracked-files=normal", "--ignored=no"});
  if (!porcelain) return fail(std::move(porcelain).take_error());
  status.uncommitted = parse_porcelain_paths(*porcelain);

  // The full ref name cannot be taken for a tag or an option; "--" ends the revisions, so it is
  // never taken for a path either. A base that does not exist fails here.
  std::vector<std::string> count = {"rev-list", "--count", "refs/heads/" + base_branch + "..HEAD",
                                    "--"};
  auto ahead = repo->run(count);
  if (!ahead) {
    // Most likely the base does not exist: then say so in plain words.
    if (auto base = branch_commit(*repo, base_branch); !base)
      return fail(std::move(base).take_error());
    return fail(std::move(ahead).take_error());
  }
  auto [end, parsed] =
      std::from_chars(ahead->data(), ahead->data() + ahead->size(), status.commits_ahead);
  if (parsed != std::errc()) return fail(git_failure(count, "unexpected output: " + *ahead));
  return status;
}

}  // namespace stork
