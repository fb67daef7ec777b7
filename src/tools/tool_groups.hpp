// The tool groups register_storkit_tools puts together, one file each.
#pragma once

#include "mcp/tool_registry.hpp"
#include "tools/tool_services.hpp"

namespace stork::tools {

// create_story, validate_stories, list_upcoming, get_story_todos, check_criterion,
// update_story, move_story, status, record_tests, ensure_acceptance, create_bug, list_bugs,
// close_bug, unblock.
void register_story_tools(mcp::ToolRegistry& registry, const ToolServices& services);

// start_agent, stop_agent, list_agents, get_agent_config, reload_agent_config,
// get_agent_output, wait_for_agent, report_completion; create_worktree, list_worktrees,
// remove_worktree; request_qa, approve_qa, reject_qa; move_story_to_merge, merge_agent_work,
// get_merge_status, report_merge_failure; run_command, get_pipeline_status, prompt_permission.
void register_agent_tools(mcp::ToolRegistry& registry, const ToolServices& services);

}  // namespace stork::tools
