// The JSON of pipeline events and agent-run events, as the REST API lists them and as the
// WebSocket sends them (docs/api.md). Payloads are stored as JSON text; they are embedded as
// JSON (a payload that does not parse is embedded as a string rather than dropped).
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "agents/agent_event.hpp"
#include "engine/pipeline.hpp"
#include "state/records.hpp"

namespace stork::api {

boost::json::value payload_value(std::string_view text);

// REST: {"seq","time_ms","story","type","payload"}.
boost::json::object pipeline_event_json(const engine::PipelineEvent& event);
// REST: {"seq","time_ms","type","payload"} (the run is the resource).
boost::json::object run_event_json(const state::EventRecord& event);
// REST: a run as the state database records it.
boost::json::object run_record_json(const state::RunRecord& run);

// WebSocket: {"type":"pipeline_event","seq","time_ms","story","event_type","payload"}.
std::string pipeline_event_message(const engine::PipelineEvent& event);
// WebSocket: {"type":"run_event","run_id","seq","time_ms","story","agent","event_type","payload"}.
std::string run_event_message(const agents::AgentEvent& event);
// The agents stream's news of a permission question or answer (a run's permission_request or
// permission_decision event): {"type":"permission","run_id","story","agent","event_type",
// "time_ms","payload"}.
std::string permission_message(const agents::AgentEvent& event);
// WebSocket, agents stream: {"type":"agent_status","run_id","story","agent","model","status",
// "reason"?,"time_ms"} from a run's `status` event; `model` is null until the run reported it.
std::string agent_status_message(const agents::AgentEvent& status_event, const std::string* model);

}  // namespace stork::api
