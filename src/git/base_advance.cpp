// MergeWorkspace::advance_base: landing a squash commit on the base branch without ever
// costing the user a local change. The ref moves by compare-and-swap; a worktree that has the
// base checked out is fast-forwarded by git itself, which refuses rather than overwrite.
#include <optional>

#include "git/commit_resolve.hpp"
#include "git/git_files.hpp"
#include "git/git_output.hpp"
#include "git/merge_workspace.hpp"
#include "git/worktree_list.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
using Kind = AdvanceResult::Kind;
using Checkout = AdvanceResult::Checkout;

// The worktree that has `branch` checked out, if any (git allows one); one whose directory
// is gone has no files to keep in step. As a rule it is the main checkout, which `worktree
// list` would name first: its HEAD file says so without a git process.
GitResult<std::optional<GitRepo>> worktree_on(const GitRepo& main, const std::string& branch) {
  if (checked_out_branch(main) == branch) return std::optional<GitRepo>(main);
  auto listed = list_worktrees(main);
  if (!listed) return fail(std::move(listed).take_error());
  for (const auto& entry : *listed) {
    if (entry.branch != branch || entry.prunable) continue;
    auto repo = GitRepo::open_toplevel(entry.path);
    if (!repo) return fail(std::move(repo).take_error());
    return std::optional<GitRepo>(std::move(*repo));
  }
  return std::optional<GitRepo>();
}

// Tracked files with local changes, staged or not (untracked files never block a
// fast-forward unless git names them in its refusal).
GitResult<std::vector<std::string>> local_changes(const GitRepo& checkout) {
  auto status = checkout.run(
      {"--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=no"});
  if (!status) return fail(std::move(status).take_error());
  std::vector<std::string> paths;
  auto entries = split_nul(*status);
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].size() < 4) continue;
    paths.push_back(entries[i].substr(3));
    if (entries[i][0] == 'R' || entries[i][0] == 'C') ++i;
  }
  return paths;
}

std::string joined(const std::vector<std::string>& paths) {
  constexpr size_t kShown = 20;
  std::string text;
  for (size_t i = 0; i < paths.size() && i < kShown; ++i)
    text += (i ? ", " : "") + paths[i];
  if (paths.size() > kShown) text += " and " + std::to_string(paths.size() - kShown) + " more";
  return text;
}

// The way back in step once the ref has moved under a checkout whose index and files still
// show `old`: step back onto `old` detached (git keeps the local changes, which are against
// `old`), stash them, return to the branch, reapply. `git stash` straight away would record
// the merge's own changes, reversed, as local changes; and without local changes there is
// nothing to stash, so a `stash pop` would apply someone's older stash instead.
std::string catch_up_command(const std::string& branch, const std::string& old,
                             bool local_changes) {
  if (!local_changes) return "git checkout --detach " + old + " && git checkout " + branch;
  return "git checkout --detach " + old + " && git stash && git checkout " + branch +
         " && git stash pop";
}

// The facts every step of an advance works from: the refs resolved once, and the worktree that
// has the base checked out (if any).
struct Advance {
  const GitRepo& main;
  const std::string& base;
  std::string target, expected;
  std::optional<GitRepo> holder;
  AdvanceResult result;
};

// The base already points at the target: report the checkout's state, change nothing.
GitResult<AdvanceResult> already_there(Advance& advance) {
  auto& result = advance.result;
  result.kind = Kind::AlreadyThere;
  if (!advance.holder) return result;
  auto changes = local_changes(*advance.holder);
  if (!changes) return fail(std::move(changes).take_error());
  result.checkout_path = advance.holder->root();
  result.checkout = changes->empty() ? Checkout::Updated : Checkout::LeftAlone;
  if (!changes->empty()) {
    result.checkout_note = result.checkout_path.string() + " has local changes (" +
                           joined(*changes) + "). If its files still show " + advance.expected +
                           " (an earlier advance left them), run there: " +
                           catch_up_command(advance.base, advance.expected, true);
  }
  return result;
}

// Moving the base to a commit that does not descend from it would drop commits.
GitResult<void> check_descends(const Advance& advance) {
  std::vector<std::string> is_ancestor = {"merge-base", "--is-ancestor", advance.expected,
                                          advance.target};
  auto descends = advance.main.run(is_ancestor);
  if (descends) return {};
  if (descends.error().exit_code != 1) return fail(std::move(descends).take_error());
  return fail(git_failure(is_ancestor, "commit " + advance.target + " does not descend from " +
                                           advance.base + " at " + advance.expected +
                                           "; moving the branch there would drop commits"));
}

// What a fast-forward inside the checkout left: the answer when it settled the advance, else
// git's refusal (the ref is then still at `expected` and moves by compare-and-swap).
struct CheckoutAttempt {
  std::optional<AdvanceResult> settled;
  std::string refusal;
  std::vector<std::string> kept_changes;  // the checkout's tracked local changes, which git kept
};

// In the checkout itself: ref, index and files move together, and git refuses (changing
// nothing) rather than overwrite a local change or an untracked file. --no-autostash: a stash
// that fails to pop back is not what "left alone" means.
GitResult<CheckoutAttempt> fast_forward_checkout(Advance& advance) {
  auto& result = advance.result;
  CheckoutAttempt attempt;
  result.checkout_path = advance.holder->root();
  auto merged = advance.holder->run({"merge", "-q", "--ff-only", "--no-stat", "--no-autostash",
                                     "--no-verify-signatures", advance.target});
  // The ref git just moved is loose: when it reads as the target, that is the answer; anything
  // else is asked of git.
  auto after = merged && loose_branch_commit(advance.main, advance.base) == advance.target
                   ? GitResult<std::string>(advance.target)
                   : branch_commit(advance.main, advance.base);
  if (!after) return fail(std::move(after).take_error());
  result.base_after = *after;
  if (merged && *after == advance.target) {
    result.checkout = Checkout::Updated;
    attempt.settled = result;
  } else if (*after != advance.expected) {
    const bool landed = *after == advance.target;
    result.kind = landed ? Kind::Advanced : Kind::BaseMoved;
    result.checkout = landed ? Checkout::LeftAlone : Checkout::NotCheckedOut;
    if (!landed) result.checkout_path.clear();
    if (landed) {
      result.checkout_note = "git moved " + advance.base + " but reported: " +
                             (merged ? std::string("success") : merged.error().message());
    }
    attempt.settled = result;
  } else {
    attempt.refusal = merged ? std::string("no update") : trim_line_end(merged.error().stderr_text);
    // Read after the refusal, which changed nothing: the local changes that held it back.
    auto changes = local_changes(*advance.holder);
    if (!changes) return fail(std::move(changes).take_error());
    attempt.kept_changes = std::move(*changes);
  }
  return attempt;
}

// The ref moved by compare-and-swap under a checkout git would not update: say which local
// changes (or what else git named) held its files back, and how to catch up.
std::string left_alone_note(const Advance& advance, const CheckoutAttempt& attempt) {
  const auto where = advance.result.checkout_path.string();
  const bool tracked = !attempt.kept_changes.empty();
  // Without tracked local changes the refusal is about something else git names (an
  // untracked file in the way, a lock another git command holds).
  return (tracked ? where + " has local changes (" + joined(attempt.kept_changes) +
                        "), so git would not update its files: "
                  : "git would not update the files in " + where + ": ") +
         attempt.refusal + "\n" + advance.base + " now points at " + advance.target +
         ", but the files and index in " + where + " still show " + advance.expected + ". " +
         (tracked ? "To catch up" : "Once what git named is out of the way, to catch up") +
         ", run there: " + catch_up_command(advance.base, advance.expected, tracked);
}

// update-ref with the old value: the base moves only if nobody moved it meanwhile.
GitResult<AdvanceResult> compare_and_swap(Advance& advance, const CheckoutAttempt& attempt) {
  auto& result = advance.result;
  auto moved = advance.main.run({"update-ref", "-m", "stork: merge " + advance.target,
                                 "refs/heads/" + advance.base, advance.target, advance.expected});
  auto after = branch_commit(advance.main, advance.base);
  if (!after) return fail(std::move(after).take_error());
  result.base_after = *after;
  if (!moved) {
    if (*after == advance.target) {
      result.kind = Kind::AlreadyThere;
    } else if (*after != advance.expected) {
      result.kind = Kind::BaseMoved;
    } else {
      return fail(std::move(moved).take_error());
    }
    result.checkout = Checkout::NotCheckedOut;
    result.checkout_path.clear();
    return result;
  }
  if (!advance.holder) return result;
  result.checkout = Checkout::LeftAlone;
  result.checkout_note = left_alone_note(advance, attempt);
  return result;
}

// Target, expected base and the base's current commit. The merge job passes full ids, and the
// base's loose ref names one of the two: then nothing needs asking (the fast-forward or the
// descent check fails for an id that names no commit). Anything else is resolved by git.
GitResult<std::vector<std::string>> known_commits(const GitRepo& main, const std::string& commit,
                                                  const std::string& expected,
                                                  const std::string& base) {
  const auto current = loose_branch_commit(main, base);
  if (is_commit_id(commit) && is_commit_id(expected) && (current == commit || current == expected))
    return std::vector<std::string>{commit, expected, current};
  return resolve_commits(
      main, {CommitName::rev(commit), CommitName::rev(expected), CommitName::branch(base)});
}

}  // namespace

GitResult<AdvanceResult> MergeWorkspace::advance_base(const std::string& expected_base,
                                                      const std::string& commit) {
  auto main = GitRepo::open(settings_.project_root);
  if (!main) return fail(std::move(main).take_error());
  const auto& base = settings_.base_branch;
  auto ids = known_commits(*main, commit, expected_base, base);
  if (!ids) return fail(std::move(ids).take_error());
  const auto& current = (*ids)[2];

  Advance advance{*main, base, (*ids)[0], (*ids)[1], std::nullopt, AdvanceResult{}};
  advance.result.base_before = current;
  advance.result.base_after = current;
  if (current != advance.target && current != advance.expected) {
    advance.result.kind = Kind::BaseMoved;
    return advance.result;
  }
  auto holder = worktree_on(*main, base);
  if (!holder) return fail(std::move(holder).take_error());
  advance.holder = std::move(*holder);
  if (current == advance.target) return already_there(advance);

  CheckoutAttempt attempt;
  if (advance.holder) {
    // A fast-forward is its own descent check: git refuses, changing nothing, a commit that
    // does not descend from the checkout's HEAD.
    auto tried = fast_forward_checkout(advance);
    if (!tried) return fail(std::move(tried).take_error());
    if (tried->settled) return std::move(*tried->settled);
    attempt = std::move(*tried);
  }
  // update-ref checks nothing of the kind: asked before it moves the ref.
  if (auto descends = check_descends(advance); !descends) return fail(descends.error());
  return compare_and_swap(advance, attempt);
}

}  // namespace stork
