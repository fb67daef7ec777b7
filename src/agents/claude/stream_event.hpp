// StreamEvent: one typed event from the stdout of `claude -p ... --output-format stream-json
// --verbose` (one NDJSON line gives one or more). A plain value type with no JSON library in
// sight, so the pool, the state store and the transports can include it cheaply. The line
// shapes these fields come from are recorded in tests/fixtures/claude/ and described in
// docs/claude-code.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stork::claude {

enum class StreamEventType {
  Init,           // system/init: the session id and model of the run
  AssistantText,  // a text block of an assistant message
  Thinking,       // a thinking block of an assistant message
  ToolUse,        // a tool_use block of an assistant message
  ToolResult,     // a tool_result block of a user message (the tool's answer)
  RateLimit,      // rate_limit_event: the account's limiter state
  Result,         // the final line of a run: outcome, usage, cost
  Raw,            // anything else, kept verbatim in `text` so that nothing is dropped
};

std::string_view to_string(StreamEventType type);

struct Usage {
  std::int64_t input_tokens = 0, output_tokens = 0, cache_creation_input_tokens = 0,
               cache_read_input_tokens = 0;

  friend bool operator==(const Usage&, const Usage&) = default;
};

struct RateLimit {
  enum class Level { Allowed, Warning, Rejected };
  Level level = Level::Allowed;
  std::optional<std::int64_t> resets_at_unix_s;
  std::string limit_type;  // "five_hour", "seven_day", ... as the CLI reports it
};

struct StreamEvent {
  StreamEventType type = StreamEventType::Raw;
  std::string session_id;  // Init, and any line that carries one
  std::string model;       // Init; Result's model when its modelUsage names exactly one
  std::string text;        // AssistantText, Thinking, ToolResult content, Result text, Raw line
  std::string tool_name, tool_use_id, tool_input_json;  // ToolUse (input as compact JSON);
                                                        // ToolResult: tool_use_id
  bool is_error = false;                                // ToolResult, Result
  std::string result_subtype;                           // Result: "success", "error_max_turns", ...
  std::optional<Usage> usage;  // Result (summed from modelUsage when `usage` is absent)
  // Result. For the whole *session*: a run started with --resume reports the earlier runs'
  // cost too (seen with 2.1.329; docs/claude-code.md). run_cost_usd is this run's alone
  // (model_usage_since_last_result), when the CLI reports it.
  std::optional<double> total_cost_usd;
  std::optional<double> run_cost_usd;
  std::optional<int> num_turns;         // Result
  std::optional<RateLimit> rate_limit;  // RateLimit; also a Result that is an API 429
};

}  // namespace stork::claude
