// What stork's MCP tools act on: the project's item store (through the pipeline, which
// serialises every write), the agent pool, and the configuration. The app fills this in once
// and hands it to register_storkit_tools.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "ops/ops_services.hpp"

namespace stork::ops {
class ItemOps;
class PermissionOps;
class WizardOps;
}  // namespace stork::ops
namespace stork::mcp {
class ToolRegistry;
}

namespace stork::tools {

// What the operations act on (project root, pipeline, pool, configuration, the shared workers
// that tools offload() git and file work onto), plus the tools' own.
struct ToolServices : ops::OpsServices {
  std::string base_branch;
  // Written into each worktree's .mcp.json by create_worktree (the pool's PoolOptions::mcp_url).
  std::string mcp_url = "http://127.0.0.1:3000/mcp";
  std::string mcp_token;                // the server's bearer token, for the same .mcp.json
  std::shared_ptr<ops::ItemOps> items;  // every item operation (ops/item_ops.hpp)
  // prompt_permission's questions (ops/permission_ops.hpp); null: it answers from the
  // command policy alone.
  std::shared_ptr<ops::PermissionOps> permissions;
  // The setup wizard (ops/wizard_ops.hpp); null: the wizard_* tools are not registered.
  std::shared_ptr<ops::WizardOps> wizard;
  // Re-reads project.toml and applies it to the pool and the pipeline; the diagnostics text
  // when it has errors (the old configuration stays in force then).
  std::function<Result<std::shared_ptr<const ProjectConfig>, std::string>()> reload_config;
};

// Every tool STORKIT.md lists (server name `storkit`); the setup wizard's when `wizard` is set.
void register_storkit_tools(mcp::ToolRegistry& registry, const ToolServices& services);

}  // namespace stork::tools
