// The loader's reading of the permission settings (private to config/): an agent's
// `permission_mode` and the project's `permission_timeout_secs`, each error at its file:line
// with the values that are valid.
#pragma once

#include <string>

#include "config/project_config.hpp"
#include "config/toml_table_reader.hpp"

namespace stork::config_detail {

// `permission_mode`: ask | allow | deny; only for claude-code (a warning for other runtimes),
// and an error beside args that already decide permissions (--dangerously-skip-permissions,
// --permission-prompt-tool). Call after runtime and args are read.
void read_permission_mode(TableReader& table, AgentConfig& agent, const std::string& owner);

// `permission_timeout_secs`: 1 to 86400 (default 600).
void read_permission_timeout(TableReader& root, ProjectConfig& config);

}  // namespace stork::config_detail
