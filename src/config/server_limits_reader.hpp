// Reads ServerLimits from a [server] table (config_detail: for the loader and for
// load_server_limits, so the rules live once).
#pragma once

#include "config/server_limits.hpp"
#include "config/toml_table_reader.hpp"

namespace stork::config_detail {

void read_server_limits(TableReader& server_table, ServerLimits& limits);

}  // namespace stork::config_detail
