#include "agents/recent_events.hpp"

#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace stork::agents {
namespace {

std::string utc_time(std::int64_t ms) {
  const std::chrono::sys_seconds at{std::chrono::seconds(ms / 1000)};
  return fmt::format("{:%Y-%m-%d %H:%M:%S} UTC", at);
}

std::string describe(const state::InboxEntry& entry) {
  if (entry.kind == "message") return "a person wrote to you: " + entry.text;
  return entry.kind + ": " + entry.text;
}

}  // namespace

std::optional<std::string> render_recent_events(const std::string& story,
                                                const std::vector<state::InboxEntry>& entries) {
  if (entries.empty()) return std::nullopt;
  std::string block = "<recent-events>\nWhile you were not running, on work item " + story + ":\n";
  for (const auto& entry : entries)
    block += "- [" + utc_time(entry.time_ms) + "] " + describe(entry) + "\n";
  block += "</recent-events>";
  return block;
}

}  // namespace stork::agents
