// Reads project.toml's [limits] table into LimitsConfig (defaults for what is absent), with
// an error diagnostic naming the key for a value out of range. Private to config/.
#pragma once

#include <string>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/limits_config.hpp"
#include "config/toml_table_reader.hpp"

namespace stork::config_detail {

void read_limits(TableReader& root, const std::string& file, std::vector<Diagnostic>& out,
                 LimitsConfig& limits);

}  // namespace stork::config_detail
