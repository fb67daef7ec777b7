#include "tools/tool_groups.hpp"

namespace stork::tools {

void register_storkit_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  register_story_tools(registry, services);
  register_agent_tools(registry, services);
}

}  // namespace stork::tools
