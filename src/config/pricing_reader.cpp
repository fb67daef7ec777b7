#include "config/pricing_reader.hpp"

namespace stork {

std::vector<ModelPrice> read_pricing(config_detail::TableReader& root, const std::string& file,
                                     std::vector<Diagnostic>& out) {
  std::vector<ModelPrice> prices;
  const toml::table* pricing = root.table("pricing");
  if (pricing == nullptr) return prices;
  for (const auto& [key, node] : *pricing) {
    const std::string model(key.str());
    const std::string path = "pricing." + model;
    const toml::table* entry = node.as_table();
    if (entry == nullptr) {
      const auto& where = node.source().begin;
      out.push_back(Diagnostic{Diagnostic::Severity::Error, file, static_cast<int>(where.line),
                               static_cast<int>(where.column), path,
                               "'" + path +
                                   "' must be a table with input_per_mtok and "
                                   "output_per_mtok, got " +
                                   std::string(config_detail::type_name(node))});
      continue;
    }
    config_detail::TableReader table(*entry, path, file, out);
    ModelPrice price;
    price.model = model;
    auto read = [&](std::string_view field, bool required) -> std::optional<double> {
      auto value = table.number(field);
      if (!value && required && !table.has(field)) {
        table.error(field,
                    "'" + table.field_name(field) + "' is required (USD per million " + "tokens)");
      }
      if (value && !(*value >= 0)) {
        table.error(field, "'" + table.field_name(field) + "' must not be negative, got " +
                               std::to_string(*value));
        return std::nullopt;
      }
      return value;
    };
    price.input_per_mtok = read("input_per_mtok", true).value_or(0);
    price.output_per_mtok = read("output_per_mtok", true).value_or(0);
    price.cached_input_per_mtok = read("cached_input_per_mtok", false);
    table.finish();
    prices.push_back(std::move(price));
  }
  return prices;
}

}  // namespace stork
