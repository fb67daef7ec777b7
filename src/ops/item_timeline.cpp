#include "ops/item_timeline.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <string_view>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "ops/timeline_text.hpp"

namespace stork::ops {
namespace json = boost::json;

namespace {

// The journal's events that say nothing a person needs beside the others: the gate's start (its
// result follows), merge steps, a coder's assignment (its run is on the timeline), edits.
bool is_noise(std::string_view type) {
  return type == "assigned" || type == "gate_started" || type == "merge_step" ||
         type == "item_changed" || type == "completion_started" || type == "merge_started";
}

TimelineEntry gate_failed(const json::object& payload) {
  TimelineEntry entry;
  const auto where = text_field(payload, "where");
  const auto outcome = text_field(payload, "outcome");
  entry.title =
      std::string(where == "merge" ? "the gate failed on the merged tree" : "the gate failed") +
      (outcome.empty() ? "" : " (" + outcome + ")");
  if (text_field(payload, "kind") == "setup") entry.title += ": it never ran";
  entry.detail = last_lines(clean_text(text_field(payload, "output_tail")), 20);
  entry.failure = true;
  return entry;
}

TimelineEntry gate_passed(const json::object& payload) {
  TimelineEntry entry;
  entry.title = text_field(payload, "where") == "merge" ? "the gate passed on the merged tree"
                                                        : "the gate passed";
  if (const auto ms = number_field(payload, "duration_ms"))
    entry.title += " in " + seconds_text(*ms);
  return entry;
}

TimelineEntry retry(const json::object& payload) {
  TimelineEntry entry;
  entry.title = "retry " + std::to_string(number_field(payload, "retry_count").value_or(0)) +
                " of " + std::to_string(number_field(payload, "max_retries").value_or(0));
  const auto reason = text_field(payload, "reason");
  if (!reason.empty()) entry.title += ": " + reason;
  entry.agent = text_field(payload, "agent");
  return entry;
}

TimelineEntry merge_failed(const json::object& payload) {
  TimelineEntry entry;
  entry.title = "the merge failed: " + text_field(payload, "reason");
  entry.paths = list_field(payload, "conflicted");
  entry.failure = true;
  return entry;
}

TimelineEntry merged(const json::object& payload) {
  TimelineEntry entry;
  const auto commit = text_field(payload, "commit");
  entry.title = "merged as " + commit.substr(0, 12);
  if (!commit.empty()) entry.commit = commit;
  entry.paths = list_field(payload, "files");
  const auto checkout = text_field(payload, "checkout");
  if (checkout == "updated") {
    entry.detail = "the project's checkout was updated";
  } else if (!checkout.empty()) {
    entry.detail = "the project's checkout: " + checkout;
  }
  return entry;
}

TimelineEntry moved(const json::object& payload) {
  TimelineEntry entry;
  entry.title = "moved from " + text_field(payload, "from") + " to " + text_field(payload, "to");
  const auto reason = text_field(payload, "reason");
  if (!reason.empty()) entry.title += ": " + reason;
  return entry;
}

// One title for the events whose payload has at most a reason or a note.
TimelineEntry simple(std::string_view type, const json::object& payload) {
  static const std::map<std::string_view, std::string_view, std::less<>> titles = {
      {"created", "created"},
      {"blocked", "blocked"},
      {"unblocked", "unblocked"},
      {"review_hold", "held in QA for a person"},
      {"qa_approved", "QA approved"},
      {"qa_rejected", "QA rejected"},
      {"merge_queued", "queued for merge"},
      {"completion_rejected", "completion not accepted"},
      {"completion_interrupted", "completion check interrupted"},
      {"agent_stopped", "agent stopped"},
      {"assign_failed", "an agent could not be started"},
      {"commit_failed", "the move could not be committed"},
      {"merge_recovered", "merge recovered after a restart"},
      {"checkout_left_alone", "the checkout was left alone"},
  };
  TimelineEntry entry;
  const auto known = titles.find(type);
  entry.title = known != titles.end() ? std::string(known->second) : std::string(type);
  entry.agent = text_field(payload, "agent");
  if (!entry.agent.empty()) entry.title += " (" + entry.agent + ")";
  entry.run_id = number_field(payload, "run_id");
  for (const char* key : {"reason", "notes", "note", "message"}) {
    const auto text = text_field(payload, key);
    if (!text.empty()) {
      entry.title += ": " + text;
      break;
    }
  }
  // An agent that could not be started yet (none free) is tried again: not a failure.
  entry.failure = type == "blocked" || type == "commit_failed";
  return entry;
}

TimelineEntry entry_of(std::string_view type, const json::object& payload) {
  if (type == "gate_failed") return gate_failed(payload);
  if (type == "gate_passed") return gate_passed(payload);
  if (type == "retry") return retry(payload);
  if (type == "merge_failed") return merge_failed(payload);
  if (type == "merged") return merged(payload);
  if (type == "moved") return moved(payload);
  return simple(type, payload);
}

std::optional<TimelineEntry> journal_entry(const state::PipelineEventRecord& event) {
  if (is_noise(event.type)) return std::nullopt;
  boost::system::error_code error;
  auto parsed = json::parse(event.payload, error);
  const json::object empty;
  const json::object& payload = !error && parsed.is_object() ? parsed.as_object() : empty;
  auto entry = entry_of(event.type, payload);
  entry.kind = event.type;
  entry.time_ms = event.time_ms;
  entry.seq = event.seq;
  return entry;
}

}  // namespace

ItemTimeline build_timeline(std::string story,
                            const std::vector<state::PipelineEventRecord>& events,
                            const std::vector<RunActivity>& runs) {
  ItemTimeline timeline;
  timeline.story = std::move(story);
  for (const auto& activity : runs) {
    auto entries = run_entries(activity);
    std::move(entries.begin(), entries.end(), std::back_inserter(timeline.entries));
  }
  for (const auto& event : events) {
    if (auto entry = journal_entry(event)) timeline.entries.push_back(std::move(*entry));
  }
  // Runs first, then the journal in its order; a stable sort by time keeps that order within
  // one millisecond (a run's end comes before the completion check it causes).
  std::stable_sort(
      timeline.entries.begin(), timeline.entries.end(),
      [](const TimelineEntry& a, const TimelineEntry& b) { return a.time_ms < b.time_ms; });
  return timeline;
}

}  // namespace stork::ops
