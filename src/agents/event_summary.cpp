#include "agents/event_summary.hpp"

#include <boost/json.hpp>

#include "base/usd.hpp"

namespace stork::agents {
namespace json = boost::json;
namespace {

std::string field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return "";
  if (value->is_string()) return std::string(value->as_string());
  return json::serialize(*value);
}

std::string first_line(std::string text) {
  auto newline = text.find('\n');
  if (newline != std::string::npos) text = text.substr(0, newline) + " …";
  return text;
}

std::string shorten(std::string text, std::size_t max_chars) {
  if (text.size() <= max_chars) return text;
  std::size_t cut = max_chars;
  // Never cut inside a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  return text.substr(0, cut) + "…";
}

}  // namespace

std::string summarize(const AgentEvent& event, std::size_t max_chars) {
  boost::system::error_code ec;
  auto parsed = json::parse(event.payload, ec);
  if (ec || !parsed.is_object()) return shorten(event.type + ": " + event.payload, max_chars);
  const auto& payload = parsed.as_object();
  const std::string& type = event.type;
  std::string text;
  if (type == event_type::kOutput) {
    text = field(payload, "text");
  } else if (type == event_type::kAssistantText) {
    text = "assistant: " + first_line(field(payload, "text"));
  } else if (type == event_type::kThinking) {
    text = "thinking: " + first_line(field(payload, "text"));
  } else if (type == event_type::kToolUse) {
    text = "tool " + field(payload, "name") + ": " + first_line(field(payload, "input"));
  } else if (type == event_type::kToolResult) {
    text = std::string(payload.if_contains("is_error") && payload.at("is_error").is_bool() &&
                               payload.at("is_error").as_bool()
                           ? "tool error: "
                           : "tool result: ") +
           first_line(field(payload, "text"));
  } else if (type == event_type::kStatus) {
    text = "status: " + field(payload, "status");
    if (auto reason = field(payload, "reason"); !reason.empty()) text += " (" + reason + ")";
  } else if (type == event_type::kDone) {
    text = "done: " + field(payload, "status") + " (" + field(payload, "exit") + ")";
  } else if (type == event_type::kError) {
    text = "error: " + field(payload, "message");
  } else if (type == event_type::kSession) {
    text = "session: " + field(payload, "session_id");
  } else if (type == event_type::kRateLimit) {
    text = "rate limit: " + field(payload, "level");
    if (auto resets = field(payload, "resets_at"); !resets.empty()) text += ", resets at " + resets;
  } else if (type == event_type::kResult) {
    text = "result: " + field(payload, "subtype");
    // The run's own cost (cost_usd, pool_run_cost.cpp), else what the agent reported.
    const auto* cost = payload.if_contains("cost_usd");
    if (cost == nullptr || !cost->is_number()) cost = payload.if_contains("total_cost_usd");
    if (cost != nullptr && cost->is_number()) text += ", " + format_usd(cost->to_number<double>());
  } else {
    text = type + ": " + field(payload, "line");
  }
  return shorten(std::move(text), max_chars);
}

}  // namespace stork::agents
