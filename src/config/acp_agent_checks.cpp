#include "config/acp_agent_checks.hpp"

#include <algorithm>
#include <filesystem>

namespace stork::config_detail {

void check_acp_agent_args(TableReader& table, const AgentConfig& agent, const std::string& owner) {
  if (agent.runtime != "acp" || !agent.command) return;
  if (std::filesystem::path(*agent.command).filename() != "gemini") return;
  const auto has = [&](const char* arg) {
    return std::find(agent.args.begin(), agent.args.end(), arg) != agent.args.end();
  };
  if (has("--skip-trust")) return;
  table.warning("args", owner +
                            "the Gemini CLI starts no MCP server in a folder it does not trust, "
                            "and stork's worktrees are not in its trustedFolders.json: add "
                            "\"--skip-trust\" to 'args' for stork's MCP tools");
}

}  // namespace stork::config_detail
