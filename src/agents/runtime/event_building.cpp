#include "agents/runtime/event_building.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace stork::agents {
namespace json = boost::json;

RuntimeEvent make_event(const char* type, const json::object& payload) {
  RuntimeEvent event;
  event.type = type;
  event.payload = json::serialize(payload);
  return event;
}

json::value parsed_or_string(const std::string& text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return json::value(text);
  return value;
}

}  // namespace stork::agents
