#include "api/event_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/json_text.hpp"

namespace stork::api {
namespace json = boost::json;

namespace {

json::value optional_int(const std::optional<std::int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

}  // namespace

json::value payload_value(std::string_view text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error) return json::string(text);
  return value;
}

json::object pipeline_event_json(const engine::PipelineEvent& event) {
  return json::object{{"seq", event.seq},
                      {"time_ms", event.time_ms},
                      {"story", event.story},
                      {"type", event.type},
                      {"payload", payload_value(event.payload)}};
}

json::object run_event_json(const state::EventRecord& event) {
  return json::object{{"seq", event.seq},
                      {"time_ms", event.time_ms},
                      {"type", event.type},
                      {"payload", payload_value(event.payload)}};
}

json::object run_record_json(const state::RunRecord& run) {
  return json::object{
      {"id", run.id},
      {"story_id", run.story},
      {"agent", run.agent},
      {"model", run.model},
      {"runtime", run.runtime},
      {"session_id", run.session_id ? json::value(*run.session_id) : json::value(nullptr)},
      {"status", state::to_string(run.state)},
      {"finished", state::is_final(run.state)},
      {"started_at_ms", run.started_at_ms},
      {"ended_at_ms", optional_int(run.ended_at_ms)},
      {"resumes_run", optional_int(run.resumes_run)},
      {"blocked_until_ms", optional_int(run.blocked_until_ms)},
      {"exit_reason", run.exit_reason},
      {"last_seq", run.last_seq}};
}

std::string pipeline_event_message(const engine::PipelineEvent& event) {
  return json_text(json::object{{"type", "pipeline_event"},
                                {"seq", event.seq},
                                {"time_ms", event.time_ms},
                                {"story", event.story},
                                {"event_type", event.type},
                                {"payload", payload_value(event.payload)}});
}

std::string run_event_message(const agents::AgentEvent& event) {
  return json_text(json::object{{"type", "run_event"},
                                {"run_id", event.run_id},
                                {"seq", event.seq},
                                {"time_ms", event.time_ms},
                                {"story", event.story},
                                {"agent", event.agent},
                                {"event_type", event.type},
                                {"payload", payload_value(event.payload)}});
}

std::string permission_message(const agents::AgentEvent& event) {
  return json::serialize(json::object{{"type", "permission"},
                                      {"run_id", event.run_id},
                                      {"time_ms", event.time_ms},
                                      {"story", event.story},
                                      {"agent", event.agent},
                                      {"event_type", event.type},
                                      {"payload", payload_value(event.payload)}});
}

std::string agent_status_message(const agents::AgentEvent& status_event, const std::string* model) {
  json::object message{{"type", "agent_status"},
                       {"run_id", status_event.run_id},
                       {"story", status_event.story},
                       {"agent", status_event.agent},
                       {"model", model != nullptr ? json::value(*model) : json::value(nullptr)},
                       {"status", nullptr},
                       {"time_ms", status_event.time_ms}};
  const auto payload = payload_value(status_event.payload);
  if (const auto* fields = payload.if_object()) {
    if (const auto* status = fields->if_contains("status")) message["status"] = *status;
    if (const auto* reason = fields->if_contains("reason")) message["reason"] = *reason;
  }
  return json_text(message);
}

}  // namespace stork::api
