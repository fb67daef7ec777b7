// libFuzzer target: arbitrary bytes as one stdout line of the Claude Code CLI
// (claude::parse_stream_line), which reads whatever a child process prints, including partial
// lines and garbage from a crashed or foreign program.
//
// Invariants checked (a violation traps): it never throws or crashes; a blank line gives no
// event and any other line at least one (nothing is dropped); a Raw event holds the line
// exactly (less its line end); a ToolUse's input is valid JSON; a RateLimit event carries a
// limit; a Result's cost is a number (never NaN); no event's text is longer than the line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "agents/claude/stream_parser.hpp"
#include "fuzz_check.hpp"

namespace {

bool is_valid_json(const std::string& text) {
  boost::system::error_code error;
  boost::json::parse_options options;
  options.max_depth = 1000;  // the parser's output may be as deep as its input allowed
  (void)boost::json::parse(text, error, {}, options);
  return !error;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using stork::claude::StreamEventType;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const auto events = stork::claude::parse_stream_line(line);

  if (stork::claude::is_blank(line)) {
    FUZZ_CHECK(events.empty());
    return 0;
  }
  FUZZ_CHECK(!events.empty());
  for (const auto& event : events) {
    switch (event.type) {
      case StreamEventType::Raw:
        FUZZ_CHECK(event.text == stork::claude::without_line_end(line));
        break;
      case StreamEventType::ToolUse:
        FUZZ_CHECK(is_valid_json(event.tool_input_json));
        break;
      case StreamEventType::RateLimit:
        FUZZ_CHECK(event.rate_limit.has_value());
        break;
      case StreamEventType::Result:
        if (event.total_cost_usd)
          FUZZ_CHECK(event.total_cost_usd.value() == event.total_cost_usd.value());  // not NaN
        break;
      default:
        break;
    }
    // Texts are unescaped parts of the line (or the line itself), so never longer.
    FUZZ_CHECK(event.text.size() <= size);
  }
  return 0;
}
