// Building RuntimeEvents from JSON, for the runtimes that translate what an agent said
// (event_translation.cpp for Claude Code's stream-json, agents/api for the model APIs).
// Internal to the agents module; it pulls in Boost.JSON, which runtime.hpp keeps out.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "agents/runtime/runtime.hpp"

namespace stork::agents {

// An event of `type` (agent_event.hpp) with `payload` as its JSON text.
RuntimeEvent make_event(const char* type, const boost::json::object& payload);

// The same for a payload written in place (`make_event(kOutput, {{"text", line}})`): the
// object is built in a buffer on the stack and only its text is kept, so an event costs no
// allocation but that text's (this runs for every line an agent prints).
RuntimeEvent make_event(
    const char* type,
    std::initializer_list<std::pair<boost::json::string_view, boost::json::value_ref>> payload);

// `text` as JSON when it parses (a tool call's arguments), else as a JSON string: an agent's
// malformed arguments are shown, not dropped.
boost::json::value parsed_or_string(const std::string& text);

}  // namespace stork::agents
