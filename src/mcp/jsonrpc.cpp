#include "mcp/jsonrpc.hpp"

#include <cmath>

#include <boost/json/serialize.hpp>

namespace stork::mcp::jsonrpc {
namespace {

// A number id must survive the round trip: 1e400 parses as infinity, which would come back as
// `Infinity` (not JSON). Such an id is refused rather than answered with another value.
bool is_valid_id(const json::value& id) {
  if (id.is_double()) return std::isfinite(id.get_double());
  return id.is_string() || id.is_number();
}

Message invalid(json::value id, std::string problem) {
  Message message;
  message.id = std::move(id);
  message.problem = "Invalid Request: " + std::move(problem);
  return message;
}

}  // namespace

Message classify(const json::value& value) {
  if (!value.is_object()) {
    return invalid(nullptr, "a JSON-RPC message is an object with \"jsonrpc\": \"2.0\"");
  }
  const json::object& object = value.get_object();
  const json::value* id = object.if_contains("id");
  json::value usable_id = id && is_valid_id(*id) ? *id : json::value(nullptr);

  const json::value* version = object.if_contains("jsonrpc");
  if (version == nullptr || !version->is_string() || version->get_string() != "2.0") {
    return invalid(usable_id, "\"jsonrpc\" must be the string \"2.0\"");
  }
  if (id != nullptr && !is_valid_id(*id)) {
    return invalid(nullptr, "\"id\" must be a string or a finite number");
  }
  const json::value* method = object.if_contains("method");
  if (method == nullptr) {
    if (id != nullptr && (object.contains("result") || object.contains("error"))) {
      Message response;
      response.kind = Kind::response;
      response.id = *id;
      return response;
    }
    return invalid(usable_id, "a request needs a \"method\" (a string such as \"tools/list\")");
  }
  if (!method->is_string()) {
    return invalid(usable_id, "\"method\" must be a string such as \"tools/list\"");
  }
  const json::value* params = object.if_contains("params");
  if (params != nullptr && !params->is_object() && !params->is_array()) {
    return invalid(usable_id, "\"params\" must be an object");
  }
  Message message;
  message.kind = id != nullptr ? Kind::request : Kind::notification;
  message.id = usable_id;
  message.method = method->get_string();
  message.params = params != nullptr ? *params : json::value(nullptr);
  return message;
}

json::value error_response(const json::value& id, const Error& error) {
  json::object body{{"code", error.code}, {"message", error.message}};
  if (!error.data.is_null()) body["data"] = error.data;
  return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(body)}};
}

json::value result_response(const json::value& id, json::value result) {
  return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json::value notification(std::string_view method, json::object params) {
  return json::object{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

std::string id_key(const json::value& id) {
  return json::serialize(id);
}

}  // namespace stork::mcp::jsonrpc
