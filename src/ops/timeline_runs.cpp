// The item timeline's entries for one agent run (ops/item_timeline.hpp): when it started, and
// when it ended with what it did (tool calls by name, the first few with their input, its last
// words). Pure, from the run's record and events.
#include <algorithm>
#include <map>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "ops/item_timeline.hpp"
#include "ops/timeline_text.hpp"

namespace stork::ops {
namespace json = boost::json;

namespace {

constexpr std::size_t kToolLines = 8;  // tool calls listed one by one; the rest are counted

json::object payload_of(const state::EventRecord& event) {
  boost::system::error_code error;
  auto parsed = json::parse(event.payload, error);
  if (error || !parsed.is_object()) return {};
  return std::move(parsed.as_object());
}

struct RunSummary {
  std::map<std::string, int> counts;
  std::vector<std::string> lines;  // "Bash: git commit -m …"
  int calls = 0;
  std::string last_words;  // the last assistant text or output line
  std::string error;       // the run's error event, if any
};

RunSummary summarize(const std::vector<state::EventRecord>& events) {
  RunSummary summary;
  for (const auto& event : events) {
    const auto payload = payload_of(event);
    if (event.type == "tool_use") {
      const auto name = text_field(payload, "name");
      ++summary.counts[name];
      ++summary.calls;
      if (summary.lines.size() < kToolLines) {
        const auto* input = payload.if_contains("input");
        const auto text = input != nullptr ? json::serialize(*input) : std::string();
        summary.lines.push_back(name + ": " + short_tool_input(text));
      }
    } else if (event.type == "assistant_text" || event.type == "output") {
      const auto text = readable_line(text_field(payload, "text"), 160);
      if (!text.empty()) summary.last_words = text;
    } else if (event.type == "error") {
      summary.error = readable_line(text_field(payload, "message"), 300);
    }
  }
  return summary;
}

TimelineEntry started(const RunActivity& activity) {
  const auto& run = activity.run;
  TimelineEntry entry;
  entry.time_ms = run.started_at_ms;
  entry.run_id = run.id;
  entry.agent = run.agent;
  const bool mergemaster = activity.stage == AgentStage::Mergemaster;
  entry.kind = mergemaster ? "mergemaster" : "run_started";
  // "mergemaster coder-9 started", but not "mergemaster mergemaster started".
  const bool named = run.agent.find("mergemaster") != std::string::npos;
  entry.title = (mergemaster && !named ? "mergemaster " : "") + run.agent + " started (run " +
                std::to_string(run.id) + (run.model.empty() ? "" : ", " + run.model) + ")";
  if (run.resumes_run) entry.title += ", resuming run " + std::to_string(*run.resumes_run);
  return entry;
}

TimelineEntry ended(const RunActivity& activity) {
  const auto& run = activity.run;
  const auto summary = summarize(activity.events);
  TimelineEntry entry;
  entry.kind = "run_ended";
  entry.time_ms = run.ended_at_ms.value_or(run.started_at_ms);
  entry.run_id = run.id;
  entry.agent = run.agent;
  entry.title = run.agent + " " + std::string(state::to_string(run.state)) + " (run " +
                std::to_string(run.id) + ")";
  if (!run.exit_reason.empty()) entry.title += ": " + one_line(run.exit_reason, 200);
  entry.failure = run.state == state::RunState::Failed;
  entry.tool_calls = summary.calls;
  for (const auto& [name, count] : summary.counts)
    entry.tools.push_back({name, count});
  std::stable_sort(entry.tools.begin(), entry.tools.end(),
                   [](const ToolCount& a, const ToolCount& b) { return a.count > b.count; });
  std::string detail;
  for (const auto& line : summary.lines)
    detail += line + "\n";
  if (summary.calls > static_cast<int>(summary.lines.size()))
    detail += "… and " + std::to_string(summary.calls - summary.lines.size()) + " more\n";
  if (!summary.error.empty()) detail += "error: " + summary.error + "\n";
  if (!summary.last_words.empty()) detail += "last: " + summary.last_words + "\n";
  if (!detail.empty()) detail.pop_back();
  entry.detail = std::move(detail);
  return entry;
}

}  // namespace

std::vector<TimelineEntry> run_entries(const RunActivity& activity) {
  std::vector<TimelineEntry> entries{started(activity)};
  if (state::is_final(activity.run.state)) entries.push_back(ended(activity));
  return entries;
}

std::string short_tool_input(const std::string& input_json, std::size_t width) {
  boost::system::error_code error;
  auto parsed = json::parse(input_json, error);
  if (error) return one_line(clean_text(input_json), width);
  if (parsed.is_string()) return one_line(clean_text(parsed.as_string()), width);
  if (!parsed.is_object()) return {};
  const auto& input = parsed.as_object();
  for (const char* key : {"command", "file_path", "path", "pattern", "url", "query", "story_id"}) {
    const auto text = text_field(input, key);
    if (!text.empty()) return one_line(clean_text(text), width);
  }
  for (const auto& [key, value] : input) {
    if (value.is_string()) return one_line(clean_text(value.as_string()), width);
  }
  // No text field: its scalar fields as key=value (never the JSON itself).
  std::string pairs;
  for (const auto& [key, value] : input) {
    const auto text = text_field(input, key);
    if (!text.empty()) pairs += (pairs.empty() ? "" : " ") + std::string(key) + "=" + text;
  }
  return one_line(pairs, width);
}

}  // namespace stork::ops
