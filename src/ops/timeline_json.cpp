#include "ops/timeline_json.hpp"

#include <boost/json/array.hpp>

namespace stork::ops {
namespace json = boost::json;

namespace {

json::object entry_json(const TimelineEntry& entry) {
  json::array paths;
  for (const auto& path : entry.paths)
    paths.emplace_back(path);
  json::array tools;
  for (const auto& tool : entry.tools)
    tools.push_back(json::object{{"name", tool.name}, {"count", tool.count}});
  json::object out{
      {"time_ms", entry.time_ms},  {"kind", entry.kind},        {"title", entry.title},
      {"detail", entry.detail},    {"failure", entry.failure},  {"seq", entry.seq},
      {"run_id", nullptr},         {"agent", entry.agent},      {"commit", nullptr},
      {"paths", std::move(paths)}, {"tools", std::move(tools)}, {"tool_calls", entry.tool_calls}};
  if (entry.run_id) out["run_id"] = *entry.run_id;
  if (entry.commit) out["commit"] = *entry.commit;
  return out;
}

}  // namespace

json::object timeline_json(const ItemTimeline& timeline) {
  json::array entries;
  for (const auto& entry : timeline.entries)
    entries.push_back(entry_json(entry));
  return json::object{{"story", timeline.story}, {"entries", std::move(entries)}};
}

}  // namespace stork::ops
