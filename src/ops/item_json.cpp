#include "ops/item_json.hpp"

#include <boost/json/value.hpp>

#include "ops/item_actions.hpp"

namespace stork::ops {
namespace json = boost::json;

namespace {

json::value optional_string(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  return json::string(*value);
}

json::value front_matter_value(const FrontMatterEntry& entry) {
  switch (entry.type) {
    case FrontMatterEntry::Type::Bool:
      return entry.flag;
    case FrontMatterEntry::Type::Integer:
      return entry.number;
    case FrontMatterEntry::Type::String:
      return json::string(entry.text);
    case FrontMatterEntry::Type::List: {
      json::array values;
      for (const auto& value : entry.list)
        values.emplace_back(value);
      return values;
    }
    case FrontMatterEntry::Type::Null:
      break;
  }
  return nullptr;
}

}  // namespace

json::object item_summary_json(const ItemView& view) {
  json::array depends_on;
  for (const auto& dependency : view.depends_on)
    depends_on.emplace_back(dependency);
  return json::object{{"id", view.id},
                      {"number", view.number},
                      {"type", view.type},
                      {"slug", view.slug},
                      {"name", view.name},
                      {"stage", stage_name(view.stage)},
                      {"path", view.path},
                      {"agent", optional_string(view.agent)},
                      {"qa", optional_string(view.qa)},
                      {"manual_qa", view.manual_qa},
                      {"blocked", view.blocked},
                      {"blocked_reason", optional_string(view.blocked_reason)},
                      {"review_hold", view.review_hold},
                      {"merge_failure", optional_string(view.merge_failure)},
                      {"retry_count", view.retry_count},
                      {"depends_on", std::move(depends_on)},
                      {"criteria_total", view.criteria.size()},
                      {"criteria_checked", view.criteria_checked}};
}

json::array criteria_json(const ItemView& view) {
  json::array criteria;
  for (const auto& criterion : view.criteria) {
    criteria.push_back(json::object{
        {"index", criterion.index}, {"checked", criterion.checked}, {"text", criterion.text}});
  }
  return criteria;
}

json::object item_detail_json(const ItemView& view) {
  json::object out = item_summary_json(view);
  out["criteria"] = criteria_json(view);
  json::object front_matter;
  json::array keys;
  for (const auto& entry : view.front_matter) {
    keys.emplace_back(entry.key);
    front_matter[entry.key] = front_matter_value(entry);
  }
  out["front_matter"] = std::move(front_matter);
  out["front_matter_keys"] = std::move(keys);
  out["body"] = view.body;
  json::array problems;
  for (const auto& problem : view.problems) {
    problems.push_back(json::object{
        {"line", problem.line}, {"field", problem.field}, {"message", problem.message}});
  }
  out["problems"] = std::move(problems);
  out["actions"] = actions_json(legal_actions(view));
  return out;
}

json::object problem_json(const WorkError& problem) {
  return json::object{{"path", problem.path.generic_string()},
                      {"line", problem.line},
                      {"message", problem.render()}};
}

}  // namespace stork::ops
