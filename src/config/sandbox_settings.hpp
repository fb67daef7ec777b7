// The loader's reading of the sandbox settings (private to config/): `sandbox` on the project
// (run_command and gates) and on each agent, and the project's `sandbox_network`; each error
// at its file:line with the values that are valid (docs/sandbox.md).
#pragma once

#include <string>

#include "config/project_config.hpp"
#include "config/toml_table_reader.hpp"

namespace stork::config_detail {

// An agent's `sandbox`: "bwrap" or "none"; bwrap is for agents that are a process of their own
// (claude-code, command): a warning for the API runtimes, whose tools already run sandboxed
// when the project's `sandbox` says so.
void read_agent_sandbox(TableReader& table, AgentConfig& agent, const std::string& owner);

// The project's `sandbox` ("bwrap" or "none") and `sandbox_network` (a boolean).
void read_project_sandbox(TableReader& root, ProjectConfig& config);

}  // namespace stork::config_detail
