#include "engine/work_index.hpp"

#include <functional>

#include <boost/json/array.hpp>

namespace stork::engine {
namespace json = boost::json;

namespace {

json::array string_array(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& value : values)
    out.emplace_back(value);
  return out;
}

// The value as YAML typed it; anything else (a mapping) as its description, which still
// changes when it does in most edits a person makes.
json::value field_value(const ItemDocument& document, const std::string& key) {
  if (!document.has_value(key)) return nullptr;
  if (auto flag = document.get_bool(key)) return *flag;
  if (auto number = document.get_int(key)) return *number;
  if (auto text = document.get_string(key)) return json::string(*text);
  if (auto list = document.get_string_list(key)) return string_array(*list);
  return json::string(document.describe_value(key));
}

json::value optional_text(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return json::string(*text);
}

// The same fields as an item of GET /api/pipeline, less what only the server's other state
// knows (agents, cost_usd), which the board keeps from what it had.
json::object card_of(const WorkItem& item) {
  json::object flags{{"blocked", item.blocked()},
                     {"review_hold", item.review_hold()},
                     {"retry_count", item.retry_count()}};
  if (auto failure = item.merge_failure()) flags["merge_failure"] = *failure;
  if (auto reason = item.blocked_reason()) flags["blocked_reason"] = *reason;
  return json::object{{"id", item.id.str()},
                      {"number", item.id.number},
                      {"type", std::string(to_string(item.id.type))},
                      {"name", item.name()},
                      {"stage", std::string(stage_name(item.stage))},
                      {"agent", optional_text(item.agent())},
                      {"depends_on", string_array(item.depends_on())},
                      {"retry_count", item.retry_count()},
                      {"flags", std::move(flags)}};
}

json::object changed_fields(const IndexedItem& before, const IndexedItem& after) {
  json::object changed;
  for (const auto& [key, value] : after.fields) {
    auto old = before.fields.find(key);
    if (old == before.fields.end() || old->value() != value) changed[key] = value;
  }
  for (const auto& [key, value] : before.fields) {
    if (!after.fields.contains(key)) changed[key] = nullptr;
  }
  if (before.body_hash != after.body_hash) changed["body"] = true;
  return changed;
}

}  // namespace

IndexedItem index_item(const WorkItem& item) {
  IndexedItem indexed;
  indexed.stage = item.stage;
  for (const auto& key : item.document.keys())
    indexed.fields[key] = field_value(item.document, key);
  indexed.body_hash = std::hash<std::string>{}(item.document.body());
  indexed.card = card_of(item);
  return indexed;
}

WorkIndex build_index(const std::vector<WorkItem>& items) {
  WorkIndex index;
  for (const auto& item : items)
    index.emplace(item.id.str(), index_item(item));
  return index;
}

std::vector<WorkChange> diff_index(const WorkIndex& before, const WorkIndex& after) {
  std::vector<WorkChange> changes;
  for (const auto& [id, item] : before) {
    if (!after.contains(id)) {
      changes.push_back({id, "item_removed", {{"stage", stage_name(item.stage)}}});
    }
  }
  for (const auto& [id, item] : after) {
    auto old = before.find(id);
    if (old == before.end()) {
      changes.push_back(
          {id, "item_created", {{"stage", stage_name(item.stage)}, {"item", item.card}}});
      continue;
    }
    if (old->second.stage != item.stage) {
      changes.push_back({id,
                         "moved",
                         {{"from", stage_name(old->second.stage)},
                          {"to", stage_name(item.stage)},
                          {"reason", "on disk"},
                          {"item", item.card}}});
    }
    auto fields = changed_fields(old->second, item);
    if (!fields.empty())
      changes.push_back({id, "item_changed", {{"fields", std::move(fields)}, {"item", item.card}}});
  }
  return changes;
}

}  // namespace stork::engine
