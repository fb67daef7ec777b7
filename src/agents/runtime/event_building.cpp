#include "agents/runtime/event_building.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/json_text.hpp"

namespace stork::agents {
namespace json = boost::json;

RuntimeEvent make_event(const char* type, const json::object& payload) {
  RuntimeEvent event;
  event.type = type;
  // An agent's output may hold any bytes; the payload goes to state.db, REST and /ws as JSON
  // text, so invalid UTF-8 is repaired here, once for every runtime (found by
  // agent_output_fuzz: a browser closes a WebSocket on a text frame that is not UTF-8).
  event.payload = json_text(payload);
  return event;
}

json::value parsed_or_string(const std::string& text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return json::value(text);
  return value;
}

}  // namespace stork::agents
