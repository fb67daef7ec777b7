#include "config/server_limits.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/server_limits_reader.hpp"

namespace stork {
namespace config_detail {
namespace {

void read_limit(TableReader& table, std::string_view key, std::int64_t low, std::int64_t high,
                int& out) {
  auto value = table.integer(key);
  if (!value) return;
  if (*value < low || *value > high) {
    table.error(key, "'" + table.field_name(key) + "' must be between " + std::to_string(low) +
                         " and " + std::to_string(high) + ", got " + std::to_string(*value));
    return;
  }
  out = static_cast<int>(*value);
}

}  // namespace

void read_server_limits(TableReader& server_table, ServerLimits& limits) {
  read_limit(server_table, "max_connections", 1, 1000000, limits.max_connections);
  read_limit(server_table, "outbound_budget_mb", 1, 65536, limits.outbound_budget_mb);
}

}  // namespace config_detail

ServerLimits load_server_limits(const std::filesystem::path& toml_file) {
  ServerLimits limits;
  toml::table root;
  try {
    root = toml::parse_file(toml_file.string());
  } catch (const toml::parse_error&) {
    return limits;  // the loader has reported it (and refused to start)
  }
  const auto* server = root["server"].as_table();
  if (server == nullptr) return limits;
  std::vector<Diagnostic> ignored;  // the loader reports them
  config_detail::TableReader table(*server, "server", toml_file.string(), ignored);
  config_detail::read_server_limits(table, limits);
  return limits;
}

}  // namespace stork
