// The rows of the state store as plain values: runs, their events, token usage. No I/O here;
// StateStore (run_store.hpp) reads and writes them. Times are unix milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stork::state {

// Final states (Completed, Failed, Stopped, Interrupted) have an end time; Blocked waits for a
// rate limit to reset and is resumed, so it is not final.
enum class RunState { Pending, Running, Completed, Failed, Stopped, Interrupted, Blocked };

std::string_view to_string(RunState state);  // "pending", "running", ... (stored as such)
std::optional<RunState> parse_run_state(std::string_view text);
bool is_final(RunState state);

struct RunRecord {
  std::int64_t id = 0;
  std::string story, agent, model, runtime;
  std::optional<std::string> session_id;
  RunState state = RunState::Pending;
  std::int64_t started_at_ms = 0;
  std::optional<std::int64_t> ended_at_ms;
  std::optional<std::int64_t> resumes_run;       // id of the run this one continues
  std::optional<std::int64_t> blocked_until_ms;  // rate-limit reset time for Blocked runs
  std::string exit_reason;                       // "", "exit code 1", "inactive: ...", ...
  std::int64_t last_seq = 0;                     // highest event sequence number stored
};

struct NewRun {
  std::string story, agent, model, runtime;
  std::optional<std::string> session_id;
  std::optional<std::int64_t> resumes_run;
};

struct EventRecord {
  std::int64_t run_id = 0;
  std::int64_t seq = 0;
  std::int64_t time_ms = 0;
  std::string type;
  std::string payload;  // JSON text

  bool operator==(const EventRecord&) const = default;
};

struct TokenUsageRecord {
  std::int64_t run_id = 0;
  std::string story, agent, model;
  std::optional<std::string> session_id;
  std::int64_t input_tokens = 0, output_tokens = 0, cache_creation_input_tokens = 0,
               cache_read_input_tokens = 0;
  double cost_usd = 0;
  std::int64_t recorded_at_ms = 0;

  bool operator==(const TokenUsageRecord&) const = default;
};

// One thing an idle agent should hear about when it next starts on the item: `kind` is
// "message" (a person's words) or an item event ("moved", "blocked", "unblocked",
// "merge_failed"); `text` says it for the agent.
struct InboxEntry {
  std::string story;
  std::string agent;
  std::string kind;
  std::string text;
  std::int64_t time_ms = 0;
};

}  // namespace stork::state
