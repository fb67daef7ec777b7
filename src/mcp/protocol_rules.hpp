// The small rule tables of the MCP transport (internal): protocol versions, logging levels and
// the media types of Content-Type and Accept headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stork::mcp {

// "2025-11-25, 2025-06-18, 2025-03-26": for messages that say what to send instead.
std::string supported_protocol_versions_text();
// The version assumed when a request carries no MCP-Protocol-Version header.
inline constexpr std::string_view kDefaultProtocolVersion = "2025-03-26";

// Logging levels of notifications/message, syslog order: debug = 0 ... emergency = 7.
std::optional<int> log_level_rank(std::string_view level);
std::string log_levels_text();
inline constexpr int kDefaultLogRank = 1;  // info

// Content-Type names JSON (application/json, any parameters, any case).
bool is_json_content_type(std::string_view header);

struct AcceptedTypes {
  bool json = false;  // application/json, application/*, */*, or no Accept header at all
  bool sse = false;   // text/event-stream
};
AcceptedTypes parse_accept(std::string_view header);

}  // namespace stork::mcp
