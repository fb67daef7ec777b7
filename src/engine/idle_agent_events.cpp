#include "engine/idle_agent_events.hpp"

#include <boost/json.hpp>

namespace stork::engine {
namespace json = boost::json;
namespace {

std::string text_field(const json::object& payload, std::string_view key) {
  const auto* value = payload.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

std::string with_reason(std::string text, const std::string& reason) {
  return reason.empty() ? text : text + ": " + reason;
}

}  // namespace

std::optional<std::string> idle_agent_text(const PipelineEvent& event) {
  if (event.type != "moved" && event.type != "blocked" && event.type != "unblocked" &&
      event.type != "merge_failed" && event.type != "qa_rejected")
    return std::nullopt;
  boost::system::error_code ec;
  auto parsed = json::parse(event.payload, ec);
  const json::object empty;
  const json::object& payload = !ec && parsed.is_object() ? parsed.as_object() : empty;
  const std::string reason = text_field(payload, "reason");
  if (event.type == "moved") {
    return with_reason(
        "the item moved from " + text_field(payload, "from") + " to " + text_field(payload, "to"),
        reason);
  }
  if (event.type == "blocked") return with_reason("the item was blocked", reason);
  if (event.type == "unblocked") return std::string("the item was unblocked");
  // A resumed coder is sent no item text, only this block: the notes are what it must act on.
  if (event.type == "qa_rejected") {
    return with_reason("QA sent the item back with these notes", text_field(payload, "notes"));
  }
  return with_reason("merging the item failed", reason);
}

}  // namespace stork::engine
