// GitRepo: the one typed wrapper through which stork calls the `git` CLI. Arguments go to git
// as an argv (never through a shell); a failure carries the arguments, exit code and git's own
// stderr, so the user sees what git said. Knows nothing about work items or the pipeline.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace stork {

struct GitError {
  std::vector<std::string> args;  // without the leading "git"
  int exit_code = -1;
  std::string stderr_text;

  std::string message() const;  // "git commit -m ... failed (exit 1): <stderr>"
};

template <class T>
using GitResult = Result<T, GitError>;

class GitRepo {
 public:
  // The repository containing `dir` (any directory inside the work tree). Fails outside one.
  static GitResult<GitRepo> open(const std::filesystem::path& dir);
  // The work tree whose top level is exactly `dir` (a linked worktree, say). Fails when `dir` is
  // merely somewhere inside another work tree, so a half-deleted worktree below the main
  // checkout can never make a command run in the main checkout instead.
  static GitResult<GitRepo> open_toplevel(const std::filesystem::path& dir);

  const std::filesystem::path& root() const { return root_; }

  // Runs `git <args>` in the repository root and returns its stdout.
  GitResult<std::string> run(const std::vector<std::string>& args) const;
  // Where git keeps this checkout's HEAD, index and locks: <root>/.git, or for a linked
  // worktree the directory its .git file names (git is asked only when that file is not as
  // expected).
  GitResult<std::filesystem::path> git_dir() const;
  // The branch HEAD points at ("main"); fails on a detached HEAD.
  GitResult<std::string> current_branch() const;
  GitResult<std::string> head_commit() const;
  // Both at once, in one git process when HEAD has a commit: branch is "" on a detached HEAD,
  // commit is "" on a branch with no commit yet. Fails only when neither can be read.
  struct Head {
    std::string branch;
    std::string commit;
  };
  GitResult<Head> head() const;

  // Of `paths` (relative to the root), those git tracks.
  GitResult<std::vector<std::string>> tracked(const std::vector<std::string>& paths) const;

  // Stages exactly `paths` (additions and deletions) and commits only them, leaving anything
  // else the user has staged alone. Returns the new commit id, or "" when nothing changed.
  // Without a configured identity, commits as "stork <stork@localhost>".
  GitResult<std::string> commit_paths(const std::vector<std::string>& paths,
                                      const std::string& message) const;

  // Runs a committing subcommand (`args` may start with `-c` options) with `input` on its stdin
  // (`commit -F -`: a message of any size or content). Without an identity
  // (a fresh machine, a sandbox's empty $HOME) git refuses to commit; it then runs again as
  // "stork <stork@localhost>". A configured identity always wins. Asking git first whether it
  // has one would cost a process on every commit.
  GitResult<std::string> run_committing(const std::vector<std::string>& args,
                                        const std::string& input = {}) const;

 private:
  explicit GitRepo(std::filesystem::path root) : root_(std::move(root)) {}
  bool has_identity() const;

  std::filesystem::path root_;
};

}  // namespace stork
