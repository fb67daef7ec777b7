// Reads project.toml's [server] table into ProjectConfig::server, with file:line diagnostics.
// Private to config/.
#pragma once

#include <string>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/server_config.hpp"
#include "config/toml_table_reader.hpp"

namespace stork::config_detail {

void read_server_config(TableReader& root, const std::string& file, std::vector<Diagnostic>& out,
                        ServerConfig& config);

}  // namespace stork::config_detail
