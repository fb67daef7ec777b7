#include "ops/item_view.hpp"

#include <algorithm>

namespace stork::ops {
namespace {

FrontMatterEntry front_matter_entry(const ItemDocument& document, const std::string& key) {
  FrontMatterEntry entry;
  entry.key = key;
  if (!document.has_value(key)) return entry;
  if (document.describe_value(key) == "a list") {
    if (auto list = document.get_string_list(key)) {
      entry.type = FrontMatterEntry::Type::List;
      entry.list = std::move(*list);
    }
    return entry;
  }
  if (auto flag = document.get_bool(key)) {
    entry.type = FrontMatterEntry::Type::Bool;
    entry.flag = *flag;
  } else if (auto number = document.get_int(key)) {
    entry.type = FrontMatterEntry::Type::Integer;
    entry.number = *number;
  } else if (auto text = document.get_string(key)) {
    entry.type = FrontMatterEntry::Type::String;
    entry.text = std::move(*text);
  }
  return entry;
}

}  // namespace

ItemView view_of(const WorkItem& item, const std::filesystem::path& project_root, ViewDepth depth) {
  ItemView view;
  view.id = item.id.str();
  view.number = item.id.number;
  view.type = std::string(to_string(item.id.type));
  view.slug = item.id.slug;
  view.name = item.name();
  view.stage = item.stage;
  view.path = item.path.lexically_relative(project_root).generic_string();
  view.agent = item.agent();
  if (auto qa = item.qa()) view.qa = std::string(to_string(*qa));
  view.manual_qa = item.manual_qa();
  view.blocked = item.blocked();
  view.blocked_reason = item.blocked_reason();
  view.review_hold = item.review_hold();
  view.merge_failure = item.merge_failure();
  view.retry_count = item.retry_count();
  view.depends_on = item.depends_on();
  view.criteria = item.criteria();
  view.criteria_checked = static_cast<std::size_t>(std::count_if(
      view.criteria.begin(), view.criteria.end(), [](const Criterion& c) { return c.checked; }));
  if (depth == ViewDepth::Summary) return view;
  for (const auto& key : item.document.keys())
    view.front_matter.push_back(front_matter_entry(item.document, key));
  view.body = item.document.body();
  view.problems = item.problems();
  return view;
}

}  // namespace stork::ops
