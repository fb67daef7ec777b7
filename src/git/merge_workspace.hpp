// The squash merge of a finished story onto the base branch, in steps the pipeline engine can
// journal and replay. Merging happens in a worktree of its own, <root>/.storkit/merge_workspace
// (detached, never the user's checkout); one merge at a time, the engine's merge queue makes
// sure of that. Every step is idempotent and reset() puts the workspace right whatever a
// `kill -9` left behind, so after a crash the engine resumes or undoes from its journal.
// All calls run git synchronously: call them on a worker thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "git/git_repo.hpp"
#include "work/story_id.hpp"

namespace stork {

struct MergeWorkspaceSettings {
  std::filesystem::path project_root;  // the main checkout
  std::string base_branch;             // resolved already, e.g. "main"
};

struct SquashResult {
  enum class Kind { Committed, Conflict, NothingToMerge };
  Kind kind = Kind::Committed;
  std::string commit;                      // Committed: the squash commit on merge-queue/<id>
  std::string base_commit;                 // the base commit it was made on
  std::vector<std::string> conflicted;     // Conflict: paths with conflicts
  std::vector<std::string> changed_files;  // Committed: files the commit changes (a rename as
                                           // its old and its new path)
  std::string feature_commit;              // the feature branch's tip that was merged
};

struct AdvanceResult {
  enum class Kind { Advanced, AlreadyThere, BaseMoved };
  Kind kind = Kind::Advanced;
  std::string base_before, base_after;
  // How the worktree that has the base branch checked out (the user's main checkout, as a
  // rule) was treated. AlreadyThere reports its state (Updated: no local changes; LeftAlone:
  // local changes, which may be an earlier LeftAlone's lag); BaseMoved touches nothing and
  // reports NotCheckedOut.
  enum class Checkout { NotCheckedOut, Updated, LeftAlone };
  Checkout checkout = Checkout::NotCheckedOut;
  std::string checkout_note;  // LeftAlone: which local changes prevented the update and what to run
  std::filesystem::path checkout_path;  // Updated / LeftAlone: that worktree
};

class MergeWorkspace {
 public:
  explicit MergeWorkspace(MergeWorkspaceSettings settings);

  std::filesystem::path path() const;                     // <root>/.storkit/merge_workspace
  static std::string queue_branch(const StoryId& story);  // "merge-queue/<id>"

  // Creates the workspace (a detached worktree) if missing, rebuilds it when its directory or
  // git's admin dir for it is gone or broken, then forcibly resets it to the base branch's tip:
  // any merge in progress aborted, stale index locks of the workspace removed, tracked changes
  // and untracked files discarded (ignored files such as build caches stay). Returns that
  // commit. Safe to call at any time.
  GitResult<std::string> reset();

  // reset(), then squash-merges `feature_branch` onto the base in the workspace on branch
  // merge-queue/<id> (recreated at the base). Conflict: the conflicted paths, and the
  // workspace is reset again. NothingToMerge: the branch adds nothing to the base (no change,
  // or merged already). Committed: one commit whose parent is the base, message `message`
  // followed by a last paragraph `Stork-Merge: <id>`, hooks not run.
  GitResult<SquashResult> squash(const StoryId& story, const std::string& feature_branch,
                                 const std::string& message);

  // Moves the base branch from `expected_base` to `commit` (a descendant of it, else an
  // error), compare-and-swap: AlreadyThere when it is at `commit`, BaseMoved (nothing
  // changed) when it is at neither. A worktree with the base checked out is fast-forwarded
  // with `git merge --ff-only` run in it, which moves ref, index and files together and
  // refuses rather than overwrite a local change; when git refuses, only the ref is moved
  // (files and index untouched) and the result is LeftAlone with a note naming the local
  // changes and the commands that catch up. Never resets or checks out in that worktree.
  GitResult<AdvanceResult> advance_base(const std::string& expected_base,
                                        const std::string& commit);

  // Deletes merge-queue/<id> if it exists, detaching the workspace from it first.
  GitResult<void> drop_queue_branch(const StoryId& story);

 private:
  struct Ensured {
    GitRepo workspace;
    bool created = false;  // just now, checked out at the base (on `branch` when given)
  };
  // The workspace as it is, or created at `base`: on `branch` (made or moved there) when
  // given, else detached.
  GitResult<Ensured> ensure_workspace(const GitRepo& main, const std::string& base,
                                      const std::optional<std::string>& branch);
  // reset() at the resolved `base`, leaving HEAD on `branch` (made or moved to `base`) when
  // given, else detached.
  GitResult<GitRepo> reset_to(const GitRepo& main, const std::string& base,
                              const std::optional<std::string>& branch);

  MergeWorkspaceSettings settings_;
};

// After the advance: whether the base branch points at `commit` or has it as an ancestor, and
// the files `commit` changes against its first parent (all its files for a root commit).
struct LandedCheck {
  bool on_base = false;
  bool base_is_commit = false;
  std::vector<std::string> changed_files;
  std::string base_head;
};
GitResult<LandedCheck> check_landed(const std::filesystem::path& project_root,
                                    const std::string& base_branch, const std::string& commit);

// The newest commit among the last `depth` commits of the base branch whose message has the
// line `Stork-Merge: <story id>` (what squash() writes): "has it landed already?" after a crash.
GitResult<std::optional<std::string>> find_landed_merge(const std::filesystem::path& project_root,
                                                        const std::string& base_branch,
                                                        const StoryId& story, int depth = 200);

}  // namespace stork
