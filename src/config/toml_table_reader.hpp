// TableReader: typed, position-aware reads of one TOML table for the config loader. Each read
// marks its key as known; wrong types become error diagnostics at the value's position, and
// finish() reports every key nobody asked for as an "unknown key" warning. Private to config/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/diagnostic.hpp"

namespace stork::config_detail {

// The known key nearest to an unknown one (a typo), if one is near enough to suggest.
std::optional<std::string> closest_key(std::string_view key, const std::vector<std::string>& known);

class TableReader {
 public:
  // `path` is the dotted name used in diagnostics ("" for the root, "agent[2]" for an entry).
  TableReader(const toml::table& table, std::string path, std::string file,
              std::vector<Diagnostic>& out);

  std::optional<std::string> string(std::string_view key);
  std::optional<long long> integer(std::string_view key);
  std::optional<double> number(std::string_view key);  // integer or float
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::vector<std::string>> string_list(std::string_view key);
  const toml::array* array_of_tables(std::string_view key);
  const toml::table* table(std::string_view key);  // a sub-table ([key.name] ...)
  bool has(std::string_view key) const { return table_.contains(key); }

  // The diagnostic helpers report at the position of `key` (or of the table when absent).
  void error(std::string_view key, std::string message);
  void warning(std::string_view key, std::string message);
  std::string field_name(std::string_view key) const;
  int line_of(std::string_view key) const;

  // Reports keys that no read asked for.
  void finish();

 private:
  const toml::node* lookup(std::string_view key);
  void report(Diagnostic::Severity severity, const toml::source_region& where, std::string field,
              std::string message);
  void type_error(std::string_view key, const toml::node& node, std::string_view expected);

  const toml::table& table_;
  std::string path_;
  std::string file_;
  std::vector<Diagnostic>& out_;
  std::vector<std::string> known_;
};

std::string_view type_name(const toml::node& node);

}  // namespace stork::config_detail
