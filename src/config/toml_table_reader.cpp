#include "config/toml_table_reader.hpp"

#include <algorithm>

namespace stork::config_detail {

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date/time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

TableReader::TableReader(const toml::table& table, std::string path, std::string file,
                         std::vector<Diagnostic>& out)
    : table_(table), path_(std::move(path)), file_(std::move(file)), out_(out) {}

std::string TableReader::field_name(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const toml::node* TableReader::lookup(std::string_view key) {
  known_.emplace_back(key);
  return table_.get(key);
}

void TableReader::report(Diagnostic::Severity severity, const toml::source_region& where,
                         std::string field, std::string message) {
  out_.push_back(Diagnostic{severity, file_, static_cast<int>(where.begin.line),
                            static_cast<int>(where.begin.column), std::move(field),
                            std::move(message)});
}

void TableReader::error(std::string_view key, std::string message) {
  const toml::node* node = table_.get(key);
  report(Diagnostic::Severity::Error, node ? node->source() : table_.source(), field_name(key),
         std::move(message));
}

void TableReader::warning(std::string_view key, std::string message) {
  const toml::node* node = table_.get(key);
  report(Diagnostic::Severity::Warning, node ? node->source() : table_.source(), field_name(key),
         std::move(message));
}

int TableReader::line_of(std::string_view key) const {
  const toml::node* node = table_.get(key);
  return static_cast<int>((node ? node->source() : table_.source()).begin.line);
}

void TableReader::type_error(std::string_view key, const toml::node& node,
                             std::string_view expected) {
  report(Diagnostic::Severity::Error, node.source(), field_name(key),
         "'" + field_name(key) + "' must be " + std::string(expected) + ", found " +
             std::string(type_name(node)));
}

std::optional<std::string> TableReader::string(std::string_view key) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  if (auto value = node->value<std::string>(); value && node->is_string()) return *value;
  type_error(key, *node, "a string");
  return std::nullopt;
}

std::optional<long long> TableReader::integer(std::string_view key) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  if (node->is_integer()) return node->as_integer()->get();
  type_error(key, *node, "an integer");
  return std::nullopt;
}

std::optional<double> TableReader::number(std::string_view key) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  if (node->is_integer()) return static_cast<double>(node->as_integer()->get());
  if (node->is_floating_point()) return node->as_floating_point()->get();
  type_error(key, *node, "a number");
  return std::nullopt;
}

std::optional<bool> TableReader::boolean(std::string_view key) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  if (node->is_boolean()) return node->as_boolean()->get();
  type_error(key, *node, "true or false");
  return std::nullopt;
}

std::optional<std::vector<std::string>> TableReader::string_list(std::string_view key) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    type_error(key, *node, "an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> result;
  for (const toml::node& element : *array) {
    if (!element.is_string()) {
      report(Diagnostic::Severity::Error, element.source(), field_name(key),
             "'" + field_name(key) + "' must contain only strings, found " +
                 std::string(type_name(element)));
      return std::nullopt;
    }
    result.push_back(element.as_string()->get());
  }
  return result;
}

const toml::array* TableReader::array_of_tables(std::string_view key) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return nullptr;
  const toml::array* array = node->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    type_error(key, *node, "an array of tables ([[" + std::string(key) + "]])");
    return nullptr;
  }
  return array;
}

const toml::table* TableReader::table(std::string_view key) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return nullptr;
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    type_error(key, *node, "a table ([" + std::string(key) + ".\"...\"])");
    return nullptr;
  }
  return table;
}

namespace {

// Edit distance with adjacent transpositions ("modle" → "model" is one edit), for "did you
// mean": keys are short, so the full table is tiny.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string> closest_key(std::string_view key,
                                       const std::vector<std::string>& known) {
  std::optional<std::string> best;
  // A third of the key's length, at least one edit: "max_coder" → "max_coders", "modle" →
  // "model", but never "name" → "role".
  std::size_t best_distance = std::max<std::size_t>(1, key.size() / 3) + 1;
  for (const auto& candidate : known) {
    const auto distance = edit_distance(key, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

void TableReader::finish() {
  for (const auto& [key, node] : table_) {
    if (std::find(known_.begin(), known_.end(), key.str()) != known_.end()) continue;
    (void)node;
    std::string message = "unknown key '" + field_name(key.str()) + "' is ignored";
    if (auto suggestion = closest_key(key.str(), known_))
      message += "; did you mean '" + field_name(*suggestion) + "'?";
    report(Diagnostic::Severity::Warning, key.source(), field_name(key.str()), message);
  }
}

}  // namespace stork::config_detail
