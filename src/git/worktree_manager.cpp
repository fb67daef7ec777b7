#include "git/worktree_manager.hpp"

#include <optional>

#include "base/file_io.hpp"
#include "git/branch_ops.hpp"
#include "git/component_steps.hpp"
#include "git/git_files.hpp"
#include "git/worktree_include.hpp"
#include "git/worktree_list.hpp"
#include "git/worktree_mcp_config.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;

// Written into the worktree's own git dir (not its working tree, so `git status` never sees
// it) once setup has completed; `git worktree remove` deletes it with the rest.
constexpr const char* kSetupDoneMarker = "stork-setup-done";

// The error tail of a failed setup step: enough to see the failure, small enough to show.
constexpr size_t kErrorOutputTail = size_t{4} * 1024;

WorktreeError story_error(const StoryId& story, std::string step, const std::string& cause) {
  return WorktreeError{"worktree for " + story.str() + ": " + step + ": " + cause, story.str(),
                       std::move(step), std::nullopt, std::nullopt};
}

WorktreeError story_error(const StoryId& story, std::string step, GitError git) {
  auto error = story_error(story, std::move(step), git.message());
  error.git = std::move(git);
  return error;
}

// Prefixes an error raised below the manager (which knows no story) with the story.
WorktreeError for_story(const StoryId& story, WorktreeError error) {
  error.story = story.str();
  error.message = "worktree for " + story.str() + ": " + error.message;
  return error;
}

fs::path real_path(const fs::path& path) {
  std::error_code error;
  auto real = fs::weakly_canonical(path, error);
  return error ? path : real;
}

GitResult<std::optional<ListedWorktree>> find_registered(const GitRepo& main,
                                                         const fs::path& path) {
  auto all = list_worktrees(main);
  if (!all) return fail(std::move(all).take_error());
  const auto wanted = real_path(path);
  for (auto& entry : *all) {
    if (real_path(entry.path) == wanted) return std::optional<ListedWorktree>(std::move(entry));
  }
  return std::optional<ListedWorktree>();
}

GitResult<fs::path> setup_marker(const GitRepo& worktree) {
  auto git_dir = worktree.git_dir();
  if (!git_dir) return fail(std::move(git_dir).take_error());
  return *git_dir / kSetupDoneMarker;
}

WorktreeInfo describe(const StoryId& story, const fs::path& path, const GitRepo& worktree) {
  auto head = head_from_files_or_git(worktree);
  if (!head) return WorktreeInfo{story, path, "", ""};
  return WorktreeInfo{story, path, std::move(head->branch), std::move(head->commit)};
}

std::string describe_failure(const StepOutput& step) {
  auto outcome = step.exit_code >= 0 ? "exited with " + std::to_string(step.exit_code)
                                     : std::string("did not run to completion");
  return "setup of component '" + step.component + "' failed: `" + step.command + "` " + outcome +
         "; output:\n" + output_tail(step.output, kErrorOutputTail);
}

// The branch is usually new. When git refuses because an earlier attempt left it, the worktree
// checks it out as it is: its commits are kept, never reset. Asking first whether it exists
// would cost a git process on every start. (If a race left the branch made but not checked
// out, the second form takes it.)
GitResult<std::string> add_worktree(const GitRepo& main, const fs::path& path,
                                    const std::string& branch, const std::string& base) {
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  auto added =
      run_reading_worktrees(main, {"worktree", "add", "-b", branch, "--", path.string(), base});
  if (!added) {
    if (auto exists = branch_exists(main.root(), branch); exists && *exists)
      added = run_reading_worktrees(main, {"worktree", "add", "--", path.string(), branch});
  }
  return added;
}

}  // namespace

WorktreeManager::WorktreeManager(WorktreeSettings settings) : settings_(std::move(settings)) {
  settings_.project_root = fs::absolute(settings_.project_root);
}

std::string WorktreeManager::branch_name(const StoryId& story) {
  return "feature/story-" + story.str();
}

fs::path WorktreeManager::worktree_path(const StoryId& story) const {
  return settings_.project_root / ".storkit" / "worktrees" / story.str();
}

Result<CreatedWorktree, WorktreeError> WorktreeManager::create(const StoryId& story) const {
  const auto path = worktree_path(story);
  const auto branch = branch_name(story);
  auto main = GitRepo::open(settings_.project_root);
  if (!main) return fail(story_error(story, "open project", std::move(main).take_error()));

  // The usual cases are read from git's files: our worktree is there (a restart), or nothing
  // is at the path (a first start: add straight away). Anything else, or a `worktree add` that
  // git refuses (a registration left by a worktree deleted by hand, say), reads the list and
  // repairs what it shows.
  std::error_code error;
  bool existed = is_registered_worktree(*main, path);
  bool added = !existed && !fs::exists(path, error) && error.value() == 0 &&
               add_worktree(*main, path, branch, settings_.base_branch).ok();
  if (!existed && !added) {
    auto registered = find_registered(*main, path);
    if (!registered)
      return fail(story_error(story, "list worktrees", std::move(registered).take_error()));
    existed = registered->has_value() && fs::is_directory(path, error);
    if (registered->has_value() && !existed) {
      // Deleted by hand: git still has it registered and would refuse to add it again.
      if (auto pruned = main->run({"worktree", "prune"}); !pruned)
        return fail(story_error(story, "git worktree prune", std::move(pruned).take_error()));
    }
    if (!existed) {
      if (auto again = add_worktree(*main, path, branch, settings_.base_branch); !again)
        return fail(story_error(story, "git worktree add", std::move(again).take_error()));
    }
  }

  auto worktree = GitRepo::open_toplevel(path);
  if (!worktree) return fail(story_error(story, "open worktree", std::move(worktree).take_error()));
  auto marker = setup_marker(*worktree);
  if (!marker) return fail(story_error(story, "find git dir", std::move(marker).take_error()));
  if (existed && fs::exists(*marker, error)) {
    // The server may listen elsewhere than when the worktree was made (another port, a token
    // now): the agent must reach this one.
    if (auto mcp = write_worktree_mcp_config(*worktree, settings_.mcp_url, settings_.mcp_token);
        !mcp) {
      auto failure = std::move(mcp).take_error();
      failure.story = story.str();
      return fail(std::move(failure));
    }
    CreatedWorktree reused;
    reused.info = describe(story, path, *worktree);
    reused.reused = true;
    return reused;
  }
  return prepare(story, *main, *worktree, *marker);
}

// Everything after `git worktree add`: the same steps whether the worktree is new or its
// earlier setup did not finish.
Result<CreatedWorktree, WorktreeError> WorktreeManager::prepare(const StoryId& story,
                                                                const GitRepo& main,
                                                                const GitRepo& worktree,
                                                                const fs::path& marker) const {
  CreatedWorktree created;
  const std::string copy_step = "copy .worktreeinclude files";
  auto includes = list_worktree_includes(main);
  if (!includes) return fail(story_error(story, copy_step, std::move(includes).take_error()));
  auto copied = copy_worktree_includes(main.root(), worktree.root(), *includes);
  if (!copied) return fail(story_error(story, copy_step, copied.error().message));
  created.copied_files = std::move(copied->copied);
  created.skipped_files = std::move(copied->skipped);

  if (auto mcp = write_worktree_mcp_config(worktree, settings_.mcp_url, settings_.mcp_token); !mcp)
    return fail(for_story(story, std::move(mcp).take_error()));

  auto setup =
      run_component_steps(settings_.components, ComponentPhase::Setup, story, worktree.root());
  if (setup.first_failure) {
    const auto& failed = setup.steps[*setup.first_failure];
    auto error = story_error(story, "setup", describe_failure(failed));
    error.failed_step = failed;
    return fail(std::move(error));
  }
  created.setup_steps = std::move(setup.steps);

  if (auto done = write_file_atomic(marker, "setup completed\n"); !done)
    return fail(story_error(story, "record setup", done.error().message));
  created.info = describe(story, worktree_path(story), worktree);
  return created;
}

Result<std::vector<StepOutput>, WorktreeError> WorktreeManager::remove(const StoryId& story) const {
  const auto path = worktree_path(story);
  auto main = GitRepo::open(settings_.project_root);
  if (!main) return fail(story_error(story, "open project", std::move(main).take_error()));
  // The usual case, a worktree of ours with its files, is read from git's files; anything else
  // (a registration whose directory is gone, a stranger's directory) asks git.
  std::optional<ListedWorktree> registered;
  const bool ours_and_there = is_registered_worktree(*main, path);
  if (!ours_and_there) {
    auto listed = find_registered(*main, path);
    if (!listed) return fail(story_error(story, "list worktrees", std::move(listed).take_error()));
    registered = std::move(*listed);
  }

  std::vector<StepOutput> teardown;
  std::error_code error;
  if (ours_and_there || (registered.has_value() && fs::is_directory(path, error))) {
    teardown =
        run_component_steps(settings_.components, ComponentPhase::Teardown, story, path).steps;
    // --force: the agent's uncommitted or untracked files go with it; its commits stay on the
    // branch until the branch is deleted below.
    if (auto removed = main->run({"worktree", "remove", "--force", "--", path.string()}); !removed)
      return fail(story_error(story, "git worktree remove", std::move(removed).take_error()));
  } else if (registered.has_value()) {
    if (auto pruned = main->run({"worktree", "prune"}); !pruned)
      return fail(story_error(story, "git worktree prune", std::move(pruned).take_error()));
  } else if (fs::exists(path, error)) {
    // Not a worktree git knows: perhaps someone's files; deleting them is not ours to do.
    return fail(story_error(story, "git worktree remove",
                            path.string() + " exists but is not a registered git worktree; "
                                            "left in place, move or delete it by hand"));
  }

  if (auto deleted = delete_branch(settings_.project_root, branch_name(story)); !deleted)
    return fail(story_error(story, "git branch -D", std::move(deleted).take_error()));
  return teardown;
}

Result<std::vector<WorktreeInfo>, WorktreeError> WorktreeManager::list() const {
  const std::string step = "list worktrees";
  auto as_error = [&](GitError git) {
    auto message = step + ": " + git.message();
    return WorktreeError{std::move(message), "", step, std::move(git), std::nullopt};
  };
  auto main = GitRepo::open(settings_.project_root);
  if (!main) return fail(as_error(std::move(main).take_error()));
  auto all = list_worktrees(*main);
  if (!all) return fail(as_error(std::move(all).take_error()));

  const auto ours = real_path(settings_.project_root / ".storkit" / "worktrees");
  std::vector<WorktreeInfo> result;
  for (auto& entry : *all) {
    auto path = real_path(entry.path);
    if (entry.prunable || path.parent_path() != ours) continue;
    auto story = parse_story_id(path.filename().string());
    if (!story) continue;
    result.push_back(WorktreeInfo{*story, worktree_path(*story), entry.branch, entry.head});
  }
  return result;
}

}  // namespace stork
