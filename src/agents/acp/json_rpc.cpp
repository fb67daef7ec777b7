#include "agents/acp/json_rpc.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace stork::acp {
namespace json = boost::json;
namespace {

bool valid_id(const json::value& id) {
  return id.is_int64() || id.is_uint64() || id.is_string();
}

std::string line_of(json::object message) {
  message["jsonrpc"] = "2.0";
  return json::serialize(message) + "\n";
}

Result<Message, std::string> response_of(const json::object& object, Message message) {
  message.kind = MessageKind::Response;
  if (const auto* error = object.if_contains("error")) {
    if (!error->is_object()) return fail(std::string("field 'error' is not an object"));
    RpcError rpc;
    if (const auto* code = error->as_object().if_contains("code"); code && code->is_int64())
      rpc.code = code->as_int64();
    if (const auto* text = error->as_object().if_contains("message"); text && text->is_string())
      rpc.message = std::string(text->as_string());
    message.error = std::move(rpc);
    return message;
  }
  const auto* result = object.if_contains("result");
  if (result == nullptr) return fail(std::string("a response has neither 'result' nor 'error'"));
  message.result = *result;
  return message;
}

}  // namespace

Result<Message, std::string> parse_message(std::string_view line) {
  boost::system::error_code ec;
  json::value value = json::parse(line, ec);
  if (ec) return fail("not JSON: " + ec.message());
  if (!value.is_object()) return fail(std::string("not a JSON object"));
  const auto& object = value.as_object();
  Message message;
  const auto* id = object.if_contains("id");
  if (id != nullptr && !id->is_null()) {
    if (!valid_id(*id)) return fail(std::string("field 'id' is neither a number nor a string"));
    message.id = *id;
  }
  const auto* method = object.if_contains("method");
  if (method == nullptr) {
    if (message.id.is_null()) return fail(std::string("no 'method' and no 'id'"));
    return response_of(object, std::move(message));
  }
  if (!method->is_string()) return fail(std::string("field 'method' is not a string"));
  message.method = std::string(method->as_string());
  message.kind = message.id.is_null() ? MessageKind::Notification : MessageKind::Request;
  if (const auto* params = object.if_contains("params")) {
    if (!params->is_object() && !params->is_array())
      return fail(std::string("field 'params' is neither an object nor an array"));
    message.params = *params;
  }
  return message;
}

std::string encode_request(std::int64_t id, std::string_view method, json::object params) {
  return line_of({{"id", id}, {"method", method}, {"params", std::move(params)}});
}

std::string encode_notification(std::string_view method, json::object params) {
  return line_of({{"method", method}, {"params", std::move(params)}});
}

std::string encode_result(const json::value& id, json::value result) {
  return line_of({{"id", id}, {"result", std::move(result)}});
}

std::string encode_error(const json::value& id, std::int64_t code, std::string_view message) {
  return line_of({{"id", id}, {"error", json::object{{"code", code}, {"message", message}}}});
}

}  // namespace stork::acp
