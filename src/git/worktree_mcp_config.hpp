// Puts `.mcp.json` into a worktree so the agent's CLI finds stork's MCP server ("storkit"),
// without making the worktree dirty: the pipeline refuses to complete a story whose worktree
// has uncommitted changes, and this file is ours, not the agent's.
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"
#include "git/git_repo.hpp"
#include "git/worktree_types.hpp"

namespace stork {

// `existing` with mcpServers.storkit set to the HTTP server at `url`; other servers a project
// configures are kept. `existing` may be empty or not JSON at all: then only ours is written.
// A non-empty `bearer_token` (a server bound beyond loopback) is sent by the agent's MCP
// client as `Authorization: Bearer <token>` (the entry's "headers"). `caller_headers` adds
// X-Stork-Agent and X-Stork-Story from the agent's environment (STORK_AGENT, STORK_STORY_ID,
// expanded by Claude Code): worktrees get them, the project's own .mcp.json does not.
std::string merged_mcp_config(std::string_view existing, const std::string& url,
                              const std::string& bearer_token = {}, bool caller_headers = false);

// Writes the merged file into `worktree`'s root when its content differs. A tracked .mcp.json
// we changed gets `git update-index --skip-worktree`; an untracked one that nothing ignores is
// added to the worktree's info/exclude (shared by all worktrees of the repository).
Result<void, WorktreeError> write_worktree_mcp_config(const GitRepo& worktree,
                                                      const std::string& url,
                                                      const std::string& bearer_token = {});

}  // namespace stork
