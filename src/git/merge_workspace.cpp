#include "git/merge_workspace.hpp"

#include <cctype>

#include "git/branch_ops.hpp"
#include "git/commit_resolve.hpp"
#include "git/git_files.hpp"
#include "git/git_output.hpp"
#include "git/worktree_list.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTrailerKey = "Stork-Merge: ";

fs::path real_path(const fs::path& path) {
  std::error_code error;
  auto real = fs::weakly_canonical(path, error);
  return error ? path : real;
}

// The project's hooks are for its developers' checkouts: in the workspace a failing or slow
// post-checkout or pre-commit hook must not decide whether a merge happens.
std::vector<std::string> without_hooks(std::vector<std::string> args) {
  args.insert(args.begin(), {"-c", "core.hooksPath=/dev/null"});
  return args;
}

GitResult<std::string> run_in(const GitRepo& workspace, std::vector<std::string> args) {
  return workspace.run(without_hooks(std::move(args)));
}

std::string full_message(const std::string& message, const StoryId& story) {
  auto body = message;
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back())))
    body.pop_back();
  auto trailer = std::string(kTrailerKey) + story.str() + "\n";
  return body.empty() ? trailer : body + "\n\n" + trailer;
}

// Locks a killed git left in the workspace's own admin dir; nobody else works there (one merge
// at a time), so they are stale by construction and would block every later command. And a
// plain (non-squash) merge leaves MERGE_HEAD: the checkout and reset that follow would clear the
// index anyway, but --abort also drops git's merge state files.
void clear_interrupted_work(const GitRepo& workspace) {
  auto git_dir = workspace.git_dir();
  if (!git_dir) return;
  std::error_code error;
  for (const char* lock : {"index.lock", "HEAD.lock"})
    fs::remove(*git_dir / lock, error);
  if (fs::exists(*git_dir / "MERGE_HEAD", error)) (void)run_in(workspace, {"merge", "--abort"});
}

GitResult<std::vector<std::string>> conflicted_paths(const GitRepo& workspace) {
  auto listed = workspace.run({"diff", "--name-only", "--diff-filter=U", "-z"});
  if (!listed) return fail(std::move(listed).take_error());
  return split_nul(*listed);
}

}  // namespace

MergeWorkspace::MergeWorkspace(MergeWorkspaceSettings settings) : settings_(std::move(settings)) {
  settings_.project_root = fs::absolute(settings_.project_root);
}

fs::path MergeWorkspace::path() const {
  return settings_.project_root / ".storkit" / "merge_workspace";
}

std::string MergeWorkspace::queue_branch(const StoryId& story) {
  return "merge-queue/" + story.str();
}

GitResult<MergeWorkspace::Ensured> MergeWorkspace::ensure_workspace(
    const GitRepo& main, const std::string& base, const std::optional<std::string>& branch) {
  const auto dir = path();
  std::error_code error;
  bool registered = false;
  // The usual case, the workspace there as the last merge left it, is read from git's files.
  // Only a directory that does not read so (half-created, broken, someone's) asks git.
  if (is_registered_worktree(main, dir)) {
    if (auto workspace = GitRepo::open_toplevel(dir)) return Ensured{std::move(*workspace), false};
    registered = true;
  } else if (fs::exists(dir, error)) {
    auto listed = list_worktrees(main);
    if (!listed) return fail(std::move(listed).take_error());
    bool prunable = false;
    for (const auto& entry : *listed) {
      if (real_path(entry.path) != real_path(dir)) continue;
      registered = true;
      prunable = entry.prunable;
    }
    if (registered && !prunable && fs::is_directory(dir, error)) {
      if (auto workspace = GitRepo::open_toplevel(dir))
        return Ensured{std::move(*workspace), false};
    }
  }

  // Missing, half-created or broken (its .git file points at an admin dir that is gone): it
  // only ever holds a merge we can redo, so rebuild it from scratch. A `worktree add` killed
  // midway leaves its registration locked, which prune would respect. (With no directory at
  // all, `worktree add --force --force` itself drops a registration left behind, locked or not.)
  if (registered) (void)main.run({"worktree", "unlock", dir.string()});
  fs::remove_all(dir, error);
  if (error) {
    return fail(git_failure(
        {"worktree", "add", "--detach", dir.string()},
        "cannot remove the broken merge workspace " + dir.string() + ": " + error.message()));
  }
  // A registration whose directory is gone would make `worktree add` refuse the path.
  if (registered) {
    if (auto pruned = main.run({"worktree", "prune"}); !pruned)
      return fail(std::move(pruned).take_error());
  }
  fs::create_directories(dir.parent_path(), error);
  std::vector<std::string> add = {"worktree", "add"};
  if (branch) {
    add.insert(add.end(), {"-B", *branch});
  } else {
    add.emplace_back("--detach");
  }
  add.insert(add.end(), {"--force", "--force", "--", dir.string(), base});
  if (auto added = run_reading_worktrees(main, without_hooks(std::move(add))); !added)
    return fail(std::move(added).take_error());
  auto workspace = GitRepo::open_toplevel(dir);
  if (!workspace) return fail(std::move(workspace).take_error());
  return Ensured{std::move(*workspace), true};
}

GitResult<GitRepo> MergeWorkspace::reset_to(const GitRepo& main, const std::string& base,
                                            const std::optional<std::string>& branch) {
  auto ensured = ensure_workspace(main, base, branch);
  if (!ensured) return fail(std::move(ensured).take_error());
  // Just checked out at the base by `worktree add`: no merge, lock or stray file to clear.
  if (ensured->created) return std::move(ensured->workspace);
  auto& workspace = ensured->workspace;
  clear_interrupted_work(workspace);

  // HEAD leaves the last merge-queue branch first (onto the new one, or detached): the reset
  // that follows would otherwise move that branch.
  std::vector<std::string> checkout = {"checkout", "-q", "--force"};
  if (branch) {
    checkout.insert(checkout.end(), {"-B", *branch});
  } else {
    checkout.emplace_back("--detach");
  }
  checkout.push_back(base);
  if (auto moved = run_in(workspace, std::move(checkout)); !moved)
    return fail(std::move(moved).take_error());
  if (auto hard = run_in(workspace, {"reset", "-q", "--hard", base}); !hard)
    return fail(std::move(hard).take_error());
  // -ff: also untracked nested repositories; no -x: ignored files (build caches) stay.
  if (auto cleaned = run_in(workspace, {"clean", "-q", "-ffd"}); !cleaned)
    return fail(std::move(cleaned).take_error());
  return std::move(workspace);
}

GitResult<std::string> MergeWorkspace::reset() {
  auto main = GitRepo::open(settings_.project_root);
  if (!main) return fail(std::move(main).take_error());
  auto base = branch_commit(*main, settings_.base_branch);
  if (!base) return fail(std::move(base).take_error());
  if (auto workspace = reset_to(*main, *base, std::nullopt); !workspace)
    return fail(std::move(workspace).take_error());
  return base;  // HEAD, detached there
}

GitResult<SquashResult> MergeWorkspace::squash(const StoryId& story,
                                               const std::string& feature_branch,
                                               const std::string& message) {
  auto main = GitRepo::open(settings_.project_root);
  if (!main) return fail(std::move(main).take_error());
  SquashResult result;
  auto ids = resolve_commits(
      *main, {CommitName::branch(settings_.base_branch), CommitName::branch(feature_branch)});
  if (!ids) return fail(std::move(ids).take_error());
  result.base_commit = std::move((*ids)[0]);
  result.feature_commit = std::move((*ids)[1]);

  auto workspace = reset_to(*main, result.base_commit, queue_branch(story));
  if (!workspace) return fail(std::move(workspace).take_error());
  // --ff and --no-autostash override a user's merge.ff=only and merge.autoStash.
  auto merged =
      run_in(*workspace, {"merge", "-q", "--squash", "--no-commit", "--ff", "--no-autostash",
                          "--no-verify-signatures", result.feature_commit});
  if (!merged) {
    auto conflicted = conflicted_paths(*workspace);
    auto cleared = reset();
    if (!conflicted) return fail(std::move(conflicted).take_error());
    if (conflicted->empty()) return fail(std::move(merged).take_error());
    if (!cleared) return fail(std::move(cleared).take_error());
    result.kind = SquashResult::Kind::Conflict;
    result.conflicted = std::move(*conflicted);
    return result;
  }

  // Committed straight away: git refuses a commit that changes nothing, and only then is the
  // index asked whether the branch added nothing (NothingToMerge) or the commit failed.
  auto commit = without_hooks(
      {"commit", "-q", "--no-verify", "--no-gpg-sign", "--cleanup=whitespace", "-F", "-"});
  if (auto committed = workspace->run_committing(commit, full_message(message, story));
      !committed) {
    if (workspace->run({"diff", "--cached", "--quiet"}).ok()) {
      result.kind = SquashResult::Kind::NothingToMerge;
      return result;
    }
    return fail(std::move(committed).take_error());
  }

  // One commit given alone: git prints its id, then the files it changes against its parent
  // (the base), so the new commit's id and its files come from one process.
  auto changed =
      workspace->run({"diff-tree", "-r", "-z", "--name-only", "--no-renames", "--always", "HEAD"});
  if (!changed) return fail(std::move(changed).take_error());
  auto fields = split_nul(*changed);
  if (fields.empty()) {
    return fail(git_failure({"diff-tree", "HEAD"}, "printed no commit id for the squash commit"));
  }
  result.commit = std::move(fields.front());
  result.changed_files.assign(std::make_move_iterator(fields.begin() + 1),
                              std::make_move_iterator(fields.end()));
  result.kind = SquashResult::Kind::Committed;
  return result;
}

GitResult<void> MergeWorkspace::drop_queue_branch(const StoryId& story) {
  const auto branch = queue_branch(story);
  if (auto workspace = GitRepo::open_toplevel(path())) {
    // HEAD detached where it points: off the queue branch if it was on it, unchanged if it was
    // detached already. Plumbing does it even from a conflicted index, touching no file.
    if (auto detached = workspace->run({"update-ref", "--no-deref", "HEAD", "HEAD"}); !detached)
      return fail(std::move(detached).take_error());
  } else {
    // A workspace whose directory is gone still "has the branch checked out" for git.
    auto main = GitRepo::open(settings_.project_root);
    if (!main) return fail(std::move(main).take_error());
    if (auto pruned = main->run({"worktree", "prune"}); !pruned)
      return fail(std::move(pruned).take_error());
  }
  return delete_branch(settings_.project_root, branch);
}

}  // namespace stork
