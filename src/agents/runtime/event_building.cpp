#include "agents/runtime/event_building.hpp"

#include <array>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/json_text.hpp"

namespace stork::agents {
namespace json = boost::json;
namespace {

// A typical payload's object (a text, a tool call's input); a larger one goes on the heap.
constexpr std::size_t kPayloadBufferBytes = std::size_t{4} * 1024;

}  // namespace

RuntimeEvent make_event(const char* type, const json::object& payload) {
  RuntimeEvent event;
  event.type = type;
  // An agent's output may hold any bytes; the payload goes to state.db, REST and /ws as JSON
  // text, so invalid UTF-8 is repaired here, once for every runtime (found by
  // agent_output_fuzz: a browser closes a WebSocket on a text frame that is not UTF-8).
  event.payload = json_text(payload);
  return event;
}

RuntimeEvent make_event(
    const char* type,
    std::initializer_list<std::pair<json::string_view, json::value_ref>> payload) {
  std::array<unsigned char, kPayloadBufferBytes> buffer;
  json::monotonic_resource resource(buffer.data(), buffer.size());
  return make_event(type, json::object(payload, &resource));
}

json::value parsed_or_string(const std::string& text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return json::value(text);
  return value;
}

}  // namespace stork::agents
