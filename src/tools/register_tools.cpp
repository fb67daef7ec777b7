#include "tools/tool_groups.hpp"

namespace stork::tools {

void register_storkit_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  // Tools that read many files or run git offload that onto services.workers.
  register_story_tools(registry, services);
  register_acceptance_tools(registry, services);
  register_bug_tools(registry, services);
  register_overview_tools(registry, services);
  register_agent_tools(registry, services);
  register_agent_config_tools(registry, services);
  register_worktree_tools(registry, services);
  register_qa_merge_tools(registry, services);
  register_command_tools(registry, services);
  if (services.wizard) register_wizard_tools(registry, services);
}

}  // namespace stork::tools
