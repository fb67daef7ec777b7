// WorktreeManager: one git worktree per story, at <root>/.storkit/worktrees/<id> on branch
// feature/story-<id>, ready for an agent: .mcp.json written, .worktreeinclude files copied,
// each [[component]]'s setup run. Synchronous and slow (checkout, `npm install`): the agent
// pool calls it on a worker thread, and never twice at once for the same story. Every git call
// goes through GitRepo, so failures carry git's own stderr.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "config/project_config.hpp"
#include "git/base_branch.hpp"
#include "git/worktree_types.hpp"
#include "work/story_id.hpp"

namespace stork {

struct WorktreeSettings {
  std::filesystem::path project_root;       // the main checkout
  std::string base_branch;                  // resolved already (resolve_base_branch)
  std::string mcp_url;                      // "http://127.0.0.1:3000/mcp", for .mcp.json
  std::string mcp_token;                    // the server's bearer token, if it has one
  std::vector<ComponentConfig> components;  // from project.toml
};

class WorktreeManager {
 public:
  explicit WorktreeManager(WorktreeSettings settings);

  static std::string branch_name(const StoryId& story);  // "feature/story-<id>"
  std::filesystem::path worktree_path(
      const StoryId& story) const;  // <root>/.storkit/worktrees/<id>

  // Idempotent. A worktree that exists and finished setup is returned as is (reused); one that
  // exists but whose setup failed or never ran is set up again; a branch left from an earlier
  // worktree is checked out as it is, never reset to the base. When setup fails, the worktree
  // stays for inspection and the error carries the failed step.
  Result<CreatedWorktree, WorktreeError> create(const StoryId& story) const;

  // Runs every component's teardown (failures are in the returned outputs, removal goes on),
  // then removes the worktree and deletes its branch. Removing what is already gone succeeds.
  Result<std::vector<StepOutput>, WorktreeError> remove(const StoryId& story) const;

  // stork's worktrees only (those under .storkit/worktrees/ named by a story id), by path.
  Result<std::vector<WorktreeInfo>, WorktreeError> list() const;

 private:
  Result<CreatedWorktree, WorktreeError> prepare(const StoryId& story, const GitRepo& main,
                                                 const GitRepo& worktree,
                                                 const std::filesystem::path& marker) const;

  WorktreeSettings settings_;
};

}  // namespace stork
