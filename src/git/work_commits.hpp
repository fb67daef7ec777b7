// Commits that record work items in git with storkit's messages: creation (`storkit: create
// 42_story_login`) and the done and archive moves. Only the item's own files in the tracked
// stages (1_backlog, 5_done, 6_archived) are committed; anything else the user has changed or
// staged is left exactly as it was.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "git/git_repo.hpp"
#include "work/stage.hpp"
#include "work/stage_store.hpp"

namespace stork {

// Start: the item left a tracked stage (1_backlog) for one git does not track (2_current and
// on): the commit records the deletion, so no one's `git commit -am` sweeps it up later.
// Backlog: the item came back to 1_backlog from a stage git does not track.
enum class WorkEvent { Create, Start, Done, Archive, Backlog };

std::string work_commit_message(WorkEvent event, const StoryId& id);

// The event a move into `to` records, if git should hear of it.
std::optional<WorkEvent> event_for_move(Stage to);
// The event a move from `from` into `to` records: also a move out of a tracked stage into an
// untracked one (Start), and back into the backlog (Backlog), so git never keeps a stale copy.
std::optional<WorkEvent> event_for_move(Stage from, Stage to);

// Why a new item must not be recorded in the repository holding `project_root`, checked before
// anything is written: a repository with no commit yet would get the item as its first commit,
// alone, and every worktree would then start from a base branch without the project. Nothing
// when HEAD has a commit, or when there is no repository (the caller says it is not committed).
std::optional<std::string> refuse_item_before_first_commit(
    const std::filesystem::path& project_root);

// Commits the item's tracked-stage files. Returns the commit id ("" when nothing changed).
GitResult<std::string> commit_work_event(const GitRepo& repo, const StageStore& store,
                                         const StoryId& id, WorkEvent event);

// GitRepo::commit_paths, tried again a few times while another git holds .git/index.lock.
GitResult<std::string> commit_paths_retrying(const GitRepo& repo,
                                             const std::vector<std::string>& paths,
                                             const std::string& message);

}  // namespace stork
