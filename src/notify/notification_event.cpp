#include "notify/notification_event.hpp"

#include <boost/json/parse.hpp>

namespace stork::notify {
namespace json = boost::json;

namespace {

json::object parse_object(const std::string& text) {
  std::error_code error;
  auto value = json::parse(text, error);
  if (error || !value.is_object()) return {};
  return std::move(value.as_object());
}

std::string string_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

NotificationEvent make(std::string event, std::string story, std::string title, std::string detail,
                       std::string key, std::int64_t time_ms) {
  return NotificationEvent{std::move(event),  std::move(story), std::move(title),
                           std::move(detail), std::move(key),   time_ms};
}

}  // namespace

std::optional<NotificationEvent> from_pipeline_event(const engine::PipelineEvent& event) {
  const auto payload = parse_object(event.payload);
  const std::string key = "pipeline:" + std::to_string(event.seq);
  const std::string reason = string_field(payload, "reason");
  if (event.type == "blocked") {
    return make("blocked", event.story, event.story + " is blocked", reason, key, event.time_ms);
  }
  if (event.type == "merge_failed") {
    return make("merge_failed", event.story, "merge of " + event.story + " failed", reason, key,
                event.time_ms);
  }
  if (event.type == "review_hold") {
    return make("needs_review", event.story, event.story + " waits for your review in QA", reason,
                key, event.time_ms);
  }
  if (event.type == "merged") {
    std::string detail = string_field(payload, "commit");
    if (!detail.empty()) detail = "commit " + detail;
    return make("done", event.story, event.story + " is merged", detail, key, event.time_ms);
  }
  return std::nullopt;
}

std::optional<NotificationEvent> from_agent_event(const agents::AgentEvent& event,
                                                  bool rate_limit_notifications) {
  const std::string run = "run:" + std::to_string(event.run_id);
  if (event.type == agents::event_type::kStatus) {
    const auto payload = parse_object(event.payload);
    if (string_field(payload, "status") != "failed") return std::nullopt;
    return make("agent_failed", event.story, event.agent + " failed on " + event.story,
                string_field(payload, "reason"), run + ":failed", event.time_ms);
  }
  if (event.type == agents::event_type::kRateLimit && rate_limit_notifications) {
    const auto payload = parse_object(event.payload);
    const std::string level = string_field(payload, "level");
    if (level != "warning" && level != "rejected") return std::nullopt;
    std::string title = level == "rejected"
                            ? event.agent + " on " + event.story + " is stopped by a rate limit"
                            : event.agent + " on " + event.story + " is near its rate limit";
    return make("rate_limited", event.story, std::move(title),
                "limit: " + string_field(payload, "limit_type"), run + ":rate_limit:" + level,
                event.time_ms);
  }
  return std::nullopt;
}

}  // namespace stork::notify
