// AgentEvent: one thing that happened in a run, as it is persisted (SQLite), streamed to
// subscribers (WebSocket, MCP waiters) and replayed after a reconnect. `seq` numbers the events
// of one run from 1 without gaps, so a client that saw seq N asks for everything after N.
#pragma once

#include <cstdint>
#include <string>

namespace stork::agents {

// Event types. The payload is a JSON object; its fields per type are listed in
// docs/agent-events.md.
namespace event_type {
inline constexpr const char* kStatus = "status";                 // {"status","reason"?}
inline constexpr const char* kOutput = "output";                 // {"text"}: a plain output line
inline constexpr const char* kAssistantText = "assistant_text";  // {"text"}
inline constexpr const char* kThinking = "thinking";             // {"text"}
inline constexpr const char* kToolUse = "tool_use";              // {"id","name","input"}
inline constexpr const char* kToolResult = "tool_result";  // {"tool_use_id","text","is_error"}
inline constexpr const char* kRateLimit = "rate_limit";    // {"level","resets_at"?,"limit_type"}
inline constexpr const char* kSession = "session";         // {"session_id","model"}
inline constexpr const char* kResult =
    "result";  // {"subtype","is_error","text","usage","total_cost_usd","num_turns"}
inline constexpr const char* kRaw = "raw";      // {"line"}: a JSON line of a type we do not know
inline constexpr const char* kError = "error";  // {"message"}
inline constexpr const char* kDone = "done";    // {"status","exit","session_id"?}
// A permission question of the agent, held or decided by stork (ops/permission_ops.hpp):
// {"id","tool_name","input","tool_use_id"} and {"id","behavior","decided_by","message"?,...}
inline constexpr const char* kPermissionRequest = "permission_request";
inline constexpr const char* kPermissionDecision = "permission_decision";
}  // namespace event_type

struct AgentEvent {
  std::int64_t run_id = 0;
  std::int64_t seq = 0;
  std::int64_t time_ms = 0;  // unix milliseconds
  std::string story;
  std::string agent;
  std::string type;
  std::string payload;  // JSON object text
};

}  // namespace stork::agents
