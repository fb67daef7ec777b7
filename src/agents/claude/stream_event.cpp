#include "agents/claude/stream_event.hpp"

namespace stork::claude {

std::string_view to_string(StreamEventType type) {
  switch (type) {
    case StreamEventType::Init:
      return "init";
    case StreamEventType::AssistantText:
      return "assistant_text";
    case StreamEventType::Thinking:
      return "thinking";
    case StreamEventType::ToolUse:
      return "tool_use";
    case StreamEventType::ToolResult:
      return "tool_result";
    case StreamEventType::RateLimit:
      return "rate_limit";
    case StreamEventType::Result:
      return "result";
    case StreamEventType::Raw:
      return "raw";
  }
  return "raw";
}

}  // namespace stork::claude
