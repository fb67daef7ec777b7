#include "cli/story_json.hpp"

#include <boost/json.hpp>

namespace stork::cli {
namespace {

boost::json::value optional_string(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  return boost::json::string(*value);
}

}  // namespace

boost::json::object item_summary_json(const WorkItem& item,
                                      const std::filesystem::path& project_root) {
  boost::json::object json;
  json["id"] = item.id.str();
  json["number"] = item.id.number;
  json["type"] = to_string(item.id.type);
  json["slug"] = item.id.slug;
  json["name"] = item.name();
  json["stage"] = stage_name(item.stage);
  json["path"] = item.path.lexically_relative(project_root).string();
  json["agent"] = optional_string(item.agent());
  auto qa = item.qa();
  json["qa"] = qa ? boost::json::value(to_string(*qa)) : nullptr;
  json["manual_qa"] = item.manual_qa();
  json["blocked"] = item.blocked();
  json["blocked_reason"] = optional_string(item.blocked_reason());
  json["review_hold"] = item.review_hold();
  json["merge_failure"] = optional_string(item.merge_failure());
  json["retry_count"] = item.retry_count();
  boost::json::array depends_on;
  for (const auto& dependency : item.depends_on())
    depends_on.emplace_back(dependency);
  json["depends_on"] = std::move(depends_on);
  auto criteria = item.criteria();
  json["criteria_total"] = criteria.size();
  json["criteria_checked"] =
      std::count_if(criteria.begin(), criteria.end(), [](const Criterion& c) { return c.checked; });
  return json;
}

boost::json::object item_detail_json(const WorkItem& item,
                                     const std::filesystem::path& project_root) {
  boost::json::object json = item_summary_json(item, project_root);
  boost::json::array criteria;
  for (const auto& criterion : item.criteria()) {
    criteria.push_back(boost::json::object{
        {"index", criterion.index}, {"checked", criterion.checked}, {"text", criterion.text}});
  }
  json["criteria"] = std::move(criteria);
  boost::json::array keys;
  for (const auto& key : item.document.keys())
    keys.emplace_back(key);
  json["front_matter_keys"] = std::move(keys);
  json["body"] = item.document.body();
  boost::json::array problems;
  for (const auto& problem : item.problems()) {
    problems.push_back(boost::json::object{
        {"line", problem.line}, {"field", problem.field}, {"message", problem.message}});
  }
  json["problems"] = std::move(problems);
  return json;
}

boost::json::object problem_json(const WorkError& problem) {
  return boost::json::object{
      {"path", problem.path.string()}, {"line", problem.line}, {"message", problem.render()}};
}

}  // namespace stork::cli
