// Building RuntimeEvents from JSON, for the runtimes that translate what an agent said
// (event_translation.cpp for Claude Code's stream-json, agents/api for the model APIs).
// Internal to the agents module; it pulls in Boost.JSON, which runtime.hpp keeps out.
#pragma once

#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "agents/runtime/runtime.hpp"

namespace stork::agents {

// An event of `type` (agent_event.hpp) with `payload` as its JSON text.
RuntimeEvent make_event(const char* type, const boost::json::object& payload);

// `text` as JSON when it parses (a tool call's arguments), else as a JSON string: an agent's
// malformed arguments are shown, not dropped.
boost::json::value parsed_or_string(const std::string& text);

}  // namespace stork::agents
