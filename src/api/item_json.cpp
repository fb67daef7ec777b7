#include "api/item_json.hpp"

#include <algorithm>

#include <boost/json/array.hpp>

namespace stork::api {
namespace json = boost::json;

namespace {

json::value optional_string(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  return json::string(*value);
}

// A front-matter value as JSON: lists of scalars as arrays, booleans and integers typed as
// YAML reads them, other scalars as strings; nested mappings (storkit writes none) as null.
json::value front_matter_value(const ItemDocument& document, const std::string& key) {
  if (!document.has_value(key)) return nullptr;
  if (document.describe_value(key) == "a list") {
    auto list = document.get_string_list(key);
    if (!list) return nullptr;
    json::array values;
    for (const auto& value : *list)
      values.emplace_back(value);
    return values;
  }
  if (auto flag = document.get_bool(key)) return *flag;
  if (auto number = document.get_int(key)) return *number;
  if (auto text = document.get_string(key)) return json::string(*text);
  return nullptr;
}

}  // namespace

json::object item_summary_json(const WorkItem& item, const std::filesystem::path& project_root) {
  json::object out;
  out["id"] = item.id.str();
  out["number"] = item.id.number;
  out["type"] = to_string(item.id.type);
  out["slug"] = item.id.slug;
  out["name"] = item.name();
  out["stage"] = stage_name(item.stage);
  out["path"] = item.path.lexically_relative(project_root).generic_string();
  out["agent"] = optional_string(item.agent());
  auto qa = item.qa();
  out["qa"] = qa ? json::value(to_string(*qa)) : nullptr;
  out["manual_qa"] = item.manual_qa();
  out["blocked"] = item.blocked();
  out["blocked_reason"] = optional_string(item.blocked_reason());
  out["review_hold"] = item.review_hold();
  out["merge_failure"] = optional_string(item.merge_failure());
  out["retry_count"] = item.retry_count();
  json::array depends_on;
  for (const auto& dependency : item.depends_on())
    depends_on.emplace_back(dependency);
  out["depends_on"] = std::move(depends_on);
  auto criteria = item.criteria();
  out["criteria_total"] = criteria.size();
  out["criteria_checked"] =
      std::count_if(criteria.begin(), criteria.end(), [](const Criterion& c) { return c.checked; });
  return out;
}

json::object item_detail_json(const WorkItem& item, const std::filesystem::path& project_root) {
  json::object out = item_summary_json(item, project_root);
  json::array criteria;
  for (const auto& criterion : item.criteria()) {
    criteria.push_back(json::object{
        {"index", criterion.index}, {"checked", criterion.checked}, {"text", criterion.text}});
  }
  out["criteria"] = std::move(criteria);
  json::object front_matter;
  json::array keys;
  for (const auto& key : item.document.keys()) {
    keys.emplace_back(key);
    front_matter[key] = front_matter_value(item.document, key);
  }
  out["front_matter"] = std::move(front_matter);
  out["front_matter_keys"] = std::move(keys);
  out["body"] = item.document.body();
  json::array problems;
  for (const auto& problem : item.problems()) {
    problems.push_back(json::object{
        {"line", problem.line}, {"field", problem.field}, {"message", problem.message}});
  }
  out["problems"] = std::move(problems);
  return out;
}

}  // namespace stork::api
