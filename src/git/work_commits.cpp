#include "git/work_commits.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

namespace stork {

std::string work_commit_message(WorkEvent event, const StoryId& id) {
  switch (event) {
    case WorkEvent::Create:
      return "storkit: create " + id.str();
    case WorkEvent::Start:
      return "storkit: start " + id.str();
    case WorkEvent::Done:
      return "storkit: done " + id.str();
    case WorkEvent::Archive:
      return "storkit: archive " + id.str();
    case WorkEvent::Backlog:
      return "storkit: backlog " + id.str();
  }
  return "storkit: update " + id.str();
}

namespace {

bool index_locked(const GitError& error) {
  return error.message().find("index.lock") != std::string::npos;
}

}  // namespace

std::optional<WorkEvent> event_for_move(Stage to) {
  if (to == Stage::Done) return WorkEvent::Done;
  if (to == Stage::Archived) return WorkEvent::Archive;
  return std::nullopt;
}

std::optional<WorkEvent> event_for_move(Stage from, Stage to) {
  if (from == to) return std::nullopt;
  if (auto event = event_for_move(to)) return event;
  if (to == Stage::Backlog) return WorkEvent::Backlog;
  if (stage_is_tracked_by_git(from) && !stage_is_tracked_by_git(to)) return WorkEvent::Start;
  return std::nullopt;
}

std::optional<std::string> refuse_item_before_first_commit(
    const std::filesystem::path& project_root) {
  auto repo = GitRepo::open(project_root);
  if (!repo) return std::nullopt;
  if (repo->head_commit()) return std::nullopt;
  return std::string(
      "the repository has no commit yet: commit your project first; `stork doctor` lists what "
      "is missing");
}

GitResult<std::string> commit_work_event(const GitRepo& repo, const StageStore& store,
                                         const StoryId& id, WorkEvent event) {
  // Paths relative to the repository root, for every tracked stage; the item may have left a
  // deleted copy in 1_backlog (moved on to 2_current) that this commit must record too.
  std::error_code error;
  const auto root = std::filesystem::weakly_canonical(repo.root(), error);
  std::vector<std::string> candidates;
  for (Stage stage : kAllStages) {
    if (!stage_is_tracked_by_git(stage)) continue;
    auto absolute =
        std::filesystem::weakly_canonical(store.stage_dir(stage), error) / (id.str() + ".md");
    candidates.push_back(absolute.lexically_relative(root).string());
  }
  auto tracked = repo.tracked(candidates);
  if (!tracked) return fail(std::move(tracked).take_error());
  std::vector<std::string> paths;
  for (const auto& candidate : candidates) {
    bool on_disk = std::filesystem::exists(repo.root() / candidate);
    bool in_index = std::find(tracked->begin(), tracked->end(), candidate) != tracked->end();
    if (on_disk || in_index) paths.push_back(candidate);
  }
  if (paths.empty()) return std::string();
  return commit_paths_retrying(repo, paths, work_commit_message(event, id));
}

GitResult<std::string> commit_paths_retrying(const GitRepo& repo,
                                             const std::vector<std::string>& paths,
                                             const std::string& message) {
  // Another git (the user's, a CLI's in another process) may hold .git/index.lock for a
  // moment: wait and try again, a bounded number of times, before calling it a failure. This
  // runs on a worker (a git command is blocking work anyway), never on a strand.
  auto committed = repo.commit_paths(paths, message);
  auto pause = std::chrono::milliseconds(20);
  for (int attempt = 0; attempt < 8 && !committed.ok() && index_locked(committed.error());
       ++attempt) {
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(500));
    committed = repo.commit_paths(paths, message);
  }
  return committed;
}

}  // namespace stork
