// ItemTimeline: what happened to one work item, oldest first, for people: created, moves, each
// run of an agent (started; ended with its tool calls summarised), gate results with the tail
// of their output, retries, blocks, merge failures with the conflicted paths, the mergemaster's
// run, the merge with its commit. Built by a pure function from the pipeline's journal events
// and the state database's runs and run events; ItemOps::timeline reads those and calls it,
// ops/timeline_json.hpp renders it (GET /api/items/{id}/timeline, docs/api.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/project_config.hpp"
#include "state/journal.hpp"
#include "state/records.hpp"

namespace stork::ops {

struct ToolCount {
  std::string name;
  int count = 0;
};

struct TimelineEntry {
  std::int64_t time_ms = 0;
  // created, moved, run_started, mergemaster, run_ended, gate_passed, gate_failed, retry,
  // blocked, unblocked, review_hold, qa_approved, qa_rejected, merge_queued, merge_failed,
  // merged, or the journal's own event type for the rarer ones (docs/pipeline.md).
  std::string kind;
  std::string title;     // one line, plain text
  std::string detail;    // more lines (a gate's output tail, tool calls), possibly empty
  bool failure = false;  // something went wrong here (gate failed, merge failed, run failed)
  std::int64_t seq = 0;  // the journal event's sequence number; 0 for a run's entries
  std::optional<std::int64_t> run_id;
  std::string agent;
  std::optional<std::string> commit;  // merged
  std::vector<std::string> paths;     // merge_failed: conflicted; merged: the files changed
  std::vector<ToolCount> tools;       // run_ended: tool calls by name, most used first
  int tool_calls = 0;                 // run_ended
};

struct ItemTimeline {
  std::string story;
  std::vector<TimelineEntry> entries;  // oldest first
};

// One run of the item with its events (all of them, or the first few thousand) and the stage
// of its agent (a mergemaster's run is shown as such).
struct RunActivity {
  state::RunRecord run;
  std::vector<state::EventRecord> events;
  AgentStage stage = AgentStage::Coder;
};

// Pure: `events` are the item's journal events (oldest first), `runs` its runs in any order.
ItemTimeline build_timeline(std::string story,
                            const std::vector<state::PipelineEventRecord>& events,
                            const std::vector<RunActivity>& runs);

// The entries of one run: its start, and its end when it has ended. Pure.
std::vector<TimelineEntry> run_entries(const RunActivity& activity);

// A tool call's input in a few words: a Bash command, a file path, a pattern, else the first
// value; one line, at most `width` characters.
std::string short_tool_input(const std::string& input_json, std::size_t width = 80);

}  // namespace stork::ops
