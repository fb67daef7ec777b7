// The loader's checks of known ACP agents' arguments (private to config/), as warnings at the
// agent's file:line: a setting stork cannot make for a generic ACP agent, without which the
// agent runs without stork's tools (docs/runtime-acp.md).
#pragma once

#include <string>

#include "config/project_config.hpp"
#include "config/toml_table_reader.hpp"

namespace stork::config_detail {

// An `acp` agent whose command is the Gemini CLI (`gemini --acp`) without `--skip-trust`: the
// CLI starts no MCP server in a folder it does not trust, and stork's worktrees never are. An
// agent stork does not know (acp_known_agents.hpp) with `base_url` or `api_key_env`: they are
// not passed to it.
void check_acp_agent_args(TableReader& table, const AgentConfig& agent, const std::string& owner);

}  // namespace stork::config_detail
