#include "mcp/protocol_rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "mcp/server.hpp"

namespace stork::mcp {
namespace {

constexpr std::array<std::string_view, 3> kVersions = {"2025-11-25", "2025-06-18", "2025-03-26"};
constexpr std::array<std::string_view, 8> kLevels = {"debug", "info",     "notice", "warning",
                                                     "error", "critical", "alert",  "emergency"};

// The media type of one header element ("Application/JSON; charset=utf-8" -> "application/json").
std::string media_type(std::string_view element) {
  element = element.substr(0, element.find(';'));
  std::string type;
  for (char c : element) {
    if (c != ' ' && c != '\t')
      type += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return type;
}

}  // namespace

bool is_supported_protocol_version(std::string_view version) {
  return std::find(kVersions.begin(), kVersions.end(), version) != kVersions.end();
}

std::string supported_protocol_versions_text() {
  std::string text;
  for (auto version : kVersions)
    text += (text.empty() ? "" : ", ") + std::string(version);
  return text;
}

std::optional<int> log_level_rank(std::string_view level) {
  auto it = std::find(kLevels.begin(), kLevels.end(), level);
  if (it == kLevels.end()) return std::nullopt;
  return static_cast<int>(it - kLevels.begin());
}

std::string log_levels_text() {
  std::string text;
  for (auto level : kLevels)
    text += (text.empty() ? "" : ", ") + std::string(level);
  return text;
}

bool is_json_content_type(std::string_view header) {
  return media_type(header) == "application/json";
}

AcceptedTypes parse_accept(std::string_view header) {
  AcceptedTypes accepted;
  if (header.find_first_not_of(" \t") == std::string_view::npos) {
    accepted.json = true;
    return accepted;
  }
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string type = media_type(header.substr(0, comma));
    if (type == "application/json" || type == "application/*" || type == "*/*") {
      accepted.json = true;
    }
    if (type == "text/event-stream") accepted.sse = true;
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
  }
  return accepted;
}

}  // namespace stork::mcp
