#include "tools/blocking_work.hpp"
#include "tools/tool_groups.hpp"

namespace stork::tools {

void register_storkit_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  // One worker thread for every tool that reads many files or runs git; the handlers own it.
  auto blocking = std::make_shared<BlockingWork>();
  register_story_tools(registry, services);
  register_acceptance_tools(registry, services);
  register_bug_tools(registry, services);
  register_overview_tools(registry, services, blocking);
  register_agent_tools(registry, services);
  register_agent_config_tools(registry, services);
  register_worktree_tools(registry, services, blocking);
  register_qa_merge_tools(registry, services);
  register_command_tools(registry, services);
}

}  // namespace stork::tools
