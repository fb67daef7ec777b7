// The tool groups register_storkit_tools puts together, one file each. Every tool validates its
// story ids through the item store, writes items only through the pipeline, and answers a
// failure with ToolResult::error saying what to do (docs/mcp-tools.md lists them all).
#pragma once

#include "mcp/tool_registry.hpp"
#include "tools/tool_services.hpp"

namespace stork::tools {

// create_story, list_upcoming, update_story, move_story, unblock.
void register_story_tools(mcp::ToolRegistry& registry, const ToolServices& services);

// get_story_todos, check_criterion, record_tests, ensure_acceptance.
void register_acceptance_tools(mcp::ToolRegistry& registry, const ToolServices& services);

// create_bug, list_bugs, close_bug.
void register_bug_tools(mcp::ToolRegistry& registry, const ToolServices& services);

// validate_stories, status, get_pipeline_status.
void register_overview_tools(mcp::ToolRegistry& registry, const ToolServices& services);

// start_agent, stop_agent, list_agents, get_agent_output, wait_for_agent, report_completion.
void register_agent_tools(mcp::ToolRegistry& registry, const ToolServices& services);

// get_agent_config, reload_agent_config.
void register_agent_config_tools(mcp::ToolRegistry& registry, const ToolServices& services);

// create_worktree, list_worktrees, remove_worktree.
void register_worktree_tools(mcp::ToolRegistry& registry, const ToolServices& services);

// request_qa, approve_qa, reject_qa; move_story_to_merge, merge_agent_work, get_merge_status,
// report_merge_failure.
void register_qa_merge_tools(mcp::ToolRegistry& registry, const ToolServices& services);

// wizard_status, wizard_generate, wizard_confirm, wizard_skip, wizard_retry.
void register_wizard_tools(mcp::ToolRegistry& registry, const ToolServices& services);

// run_command, prompt_permission.
void register_command_tools(mcp::ToolRegistry& registry, const ToolServices& services);

}  // namespace stork::tools
