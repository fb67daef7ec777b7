#include "config/acp_agent_checks.hpp"

#include <algorithm>

#include "config/acp_known_agents.hpp"

namespace stork::config_detail {
namespace {

void check_gemini_trust(TableReader& table, const AgentConfig& agent, const std::string& owner) {
  const auto has = [&](const char* arg) {
    return std::find(agent.args.begin(), agent.args.end(), arg) != agent.args.end();
  };
  if (has("--skip-trust")) return;
  table.warning("args", owner +
                            "the Gemini CLI starts no MCP server in a folder it does not trust, "
                            "and stork's worktrees are not in its trustedFolders.json: add "
                            "\"--skip-trust\" to 'args' for stork's MCP tools");
}

// base_url and api_key_env reach only an agent whose variables stork knows.
void check_provider_keys(TableReader& table, const AgentConfig& agent, const std::string& owner) {
  for (const char* key : {"base_url", "api_key_env"}) {
    const bool set = std::string_view(key) == "base_url" ? agent.base_url.has_value()
                                                         : agent.api_key_env.has_value();
    if (!set) continue;
    table.warning(key, owner + "'" + key +
                           "' is not passed to this ACP agent: stork hands it only to agents "
                           "whose variables it knows (gemini, claude-code-acp, codex-acp); set "
                           "the variables this agent reads in stork's environment instead");
  }
}

}  // namespace

void check_acp_agent_args(TableReader& table, const AgentConfig& agent, const std::string& owner) {
  if (agent.runtime != "acp" || !agent.command) return;
  const auto known = known_acp_agent(agent);
  if (!known) return check_provider_keys(table, agent, owner);
  if (known->name == "the Gemini CLI") check_gemini_trust(table, agent, owner);
}

}  // namespace stork::config_detail
