// MergeWorkspace::advance_base: landing a squash commit on the base branch without ever
// costing the user a local change. The ref moves by compare-and-swap; a worktree that has the
// base checked out is fast-forwarded by git itself, which refuses rather than overwrite.
#include <optional>

#include "git/git_output.hpp"
#include "git/merge_workspace.hpp"
#include "git/worktree_list.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
using Kind = AdvanceResult::Kind;
using Checkout = AdvanceResult::Checkout;

GitResult<std::string> commit_id(const GitRepo& repo, const std::string& rev) {
  std::vector<std::string> args = {"rev-parse", "--verify", "-q", "--end-of-options",
                                   rev + "^{commit}"};
  auto id = repo.run(args);
  if (id) return trim_line_end(std::move(*id));
  if (id.error().exit_code == 1) return fail(git_failure(args, "no commit '" + rev + "'"));
  return fail(std::move(id).take_error());
}

// The worktree that has `branch` checked out, if any (git allows one); one whose directory
// is gone has no files to keep in step.
GitResult<std::optional<GitRepo>> worktree_on(const GitRepo& main, const std::string& branch) {
  auto listed = main.run({"worktree", "list", "--porcelain", "-z"});
  if (!listed) return fail(std::move(listed).take_error());
  for (const auto& entry : parse_worktree_list(*listed)) {
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

}  // namespace

GitResult<AdvanceResult> MergeWorkspace::advance_base(const std::string& expected_base,
                                                      const std::string& commit) {
  auto main = GitRepo::open(settings_.project_root);
  if (!main) return fail(std::move(main).take_error());
  const auto& base = settings_.base_branch;
  auto target = commit_id(*main, commit);
  if (!target) return fail(std::move(target).take_error());
  auto expected = commit_id(*main, expected_base);
  if (!expected) return fail(std::move(expected).take_error());
  auto current = branch_commit(*main, base);
  if (!current) return fail(std::move(current).take_error());

  AdvanceResult result;
  result.base_before = *current;
  result.base_after = *current;
  if (*current != *target && *current != *expected) {
    result.kind = Kind::BaseMoved;
    return result;
  }
  auto holder = worktree_on(*main, base);
  if (!holder) return fail(std::move(holder).take_error());

  if (*current == *target) {
    result.kind = Kind::AlreadyThere;
    if (!*holder) return result;
    auto changes = local_changes(**holder);
    if (!changes) return fail(std::move(changes).take_error());
    result.checkout_path = (*holder)->root();
    result.checkout = changes->empty() ? Checkout::Updated : Checkout::LeftAlone;
    if (!changes->empty()) {
      result.checkout_note =
          result.checkout_path.string() + " has local changes (" + joined(*changes) +
          "). If its files still show " + *expected +
          " (an earlier advance left them), run there: " + catch_up_command(base, *expected, true);
    }
    return result;
  }

  std::vector<std::string> is_ancestor = {"merge-base", "--is-ancestor", *expected, *target};
  if (auto descends = main->run(is_ancestor); !descends) {
    if (descends.error().exit_code != 1) return fail(std::move(descends).take_error());
    return fail(git_failure(is_ancestor, "commit " + *target + " does not descend from " + base +
                                             " at " + *expected +
                                             "; moving the branch there would drop commits"));
  }

  std::string refusal;
  std::vector<std::string> changes_before;
  if (*holder) {
    result.checkout_path = (*holder)->root();
    auto changes = local_changes(**holder);
    if (!changes) return fail(std::move(changes).take_error());
    changes_before = std::move(*changes);
    // In the checkout itself: ref, index and files move together, and git refuses (changing
    // nothing) rather than overwrite a local change or an untracked file. --no-autostash: a
    // stash that fails to pop back is not what "left alone" means.
    auto merged = (*holder)->run({"merge", "-q", "--ff-only", "--no-stat", "--no-autostash",
                                  "--no-verify-signatures", *target});
    auto after = branch_commit(*main, base);
    if (!after) return fail(std::move(after).take_error());
    result.base_after = *after;
    if (merged && *after == *target) {
      result.checkout = Checkout::Updated;
      return result;
    }
    if (*after != *expected) {
      result.kind = *after == *target ? Kind::Advanced : Kind::BaseMoved;
      result.checkout = *after == *target ? Checkout::LeftAlone : Checkout::NotCheckedOut;
      if (*after != *target) result.checkout_path.clear();
      if (*after == *target)
        result.checkout_note = "git moved " + base + " but reported: " +
                               (merged ? std::string("success") : merged.error().message());
      return result;
    }
    refusal = merged ? std::string("no update") : trim_line_end(merged.error().stderr_text);
  }

  auto moved = main->run(
      {"update-ref", "-m", "stork: merge " + *target, "refs/heads/" + base, *target, *expected});
  auto after = branch_commit(*main, base);
  if (!after) return fail(std::move(after).take_error());
  result.base_after = *after;
  if (!moved) {
    if (*after == *target) {
      result.kind = Kind::AlreadyThere;
    } else if (*after != *expected) {
      result.kind = Kind::BaseMoved;
    } else {
      return fail(std::move(moved).take_error());
    }
    result.checkout = Checkout::NotCheckedOut;
    result.checkout_path.clear();
    return result;
  }
  if (!*holder) return result;

  result.checkout = Checkout::LeftAlone;
  const auto where = result.checkout_path.string();
  const bool tracked = !changes_before.empty();
  // Without tracked local changes the refusal is about something else git names (an
  // untracked file in the way, a lock another git command holds).
  result.checkout_note =
      (tracked ? where + " has local changes (" + joined(changes_before) +
                     "), so git would not update its files: "
               : "git would not update the files in " + where + ": ") +
      refusal + "\n" + base + " now points at " + *target + ", but the files and index in " +
      where + " still show " + *expected + ". " +
      (tracked ? "To catch up" : "Once what git named is out of the way, to catch up") +
      ", run there: " + catch_up_command(base, *expected, tracked);
  return result;
}

}  // namespace stork
