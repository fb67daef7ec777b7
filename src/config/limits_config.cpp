#include <string>

#include "config/limits_config_reader.hpp"

namespace stork::config_detail {

namespace {

// A value between `low` and `high`, or an error naming the key.
void read_count(TableReader& table, std::string_view key, long long low, long long high,
                std::uint64_t& into) {
  auto value = table.integer(key);
  if (!value) return;
  if (*value < low || *value > high) {
    table.error(key, "'" + table.field_name(key) + "' must be between " + std::to_string(low) +
                         " and " + std::to_string(high) + ", got " + std::to_string(*value));
    return;
  }
  into = static_cast<std::uint64_t>(*value);
}

void read_bytes(TableReader& table, std::string_view key, std::uint64_t& into) {
  read_count(table, key, 1024, 1LL << 30, into);
}

}  // namespace

void read_limits(TableReader& root, const std::string& file, std::vector<Diagnostic>& out,
                 LimitsConfig& limits) {
  const toml::table* table = root.table("limits");
  if (table == nullptr) return;
  TableReader reader(*table, "limits", file, out);
  read_bytes(reader, "item_file_bytes", limits.item_file_bytes);
  read_bytes(reader, "command_output_bytes", limits.command_output_bytes);
  read_bytes(reader, "run_output_bytes", limits.run_output_bytes);
  read_count(reader, "commands_per_session", 1, 1000, limits.commands_per_session);
  read_count(reader, "commands_total", 1, 10000, limits.commands_total);
  reader.finish();
}

}  // namespace stork::config_detail
