// read_pricing: project.toml's `[pricing.<model>]` tables (USD per million tokens), each
// checked for its required and non-negative numbers; errors name the file, line and field.
#pragma once

#include <string>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/project_config.hpp"
#include "config/toml_table_reader.hpp"

namespace stork {

std::vector<ModelPrice> read_pricing(config_detail::TableReader& root, const std::string& file,
                                     std::vector<Diagnostic>& out);

}  // namespace stork
