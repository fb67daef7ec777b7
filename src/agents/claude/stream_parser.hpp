// Turns the Claude Code CLI's stream-json stdout, one line at a time, into StreamEvents. Pure:
// no I/O, no state between lines (the caller keeps whatever it needs across them, e.g. the
// reset time of the last rate_limit_event when a later result reports the 429 without one).
#pragma once

#include <string_view>
#include <vector>

#include "agents/claude/stream_event.hpp"

namespace stork::claude {

// One stdout line → its events, in the order of the line's content:
// - system/init → Init; assistant → one event per content block (text, thinking, tool_use);
//   user → one ToolResult per tool_result block; rate_limit_event → RateLimit; result → Result.
// - A line that is not JSON (also truncated JSON, or JSON nested deeper than 64 levels), JSON
//   of an unknown type or subtype (e.g. system/api_retry), or a known type whose content yields
//   no event gives one Raw event holding the line: nothing is dropped. Raw events still carry
//   the line's session_id when it has one.
// - A blank line (only whitespace; PTYs end lines with "\r\n") gives no event.
// Never throws; any input is safe (fuzzed by tests/fuzz/stream_parser_fuzz.cpp).
std::vector<StreamEvent> parse_stream_line(std::string_view line);

// The parser's view of a line: without its trailing \r / \n (a Raw event's text), and
// whether it is blank (blank lines give no event).
std::string_view without_line_end(std::string_view line);
bool is_blank(std::string_view line);

}  // namespace stork::claude
