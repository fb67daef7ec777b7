#include "api/ws_protocol.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/json_text.hpp"

namespace stork::api {
namespace json = boost::json;

namespace {

Result<std::optional<std::int64_t>, std::string> read_int(const json::object& object,
                                                          std::string_view key, std::int64_t min) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<std::int64_t>();
  std::int64_t number = 0;
  if (value->is_int64()) {
    number = value->as_int64();
  } else if (value->is_uint64() && value->as_uint64() <= INT64_MAX) {
    number = static_cast<std::int64_t>(value->as_uint64());
  } else {
    return fail("'" + std::string(key) + "' must be an integer");
  }
  if (number < min)
    return fail("'" + std::string(key) + "' must be at least " + std::to_string(min));
  return std::optional<std::int64_t>(number);
}

void add_target(json::object& message, std::optional<std::int64_t> run) {
  if (run) {
    message["run"] = *run;
  } else {
    message["pipeline"] = true;
  }
}

}  // namespace

Result<ClientRequest, std::string> parse_client_message(std::string_view text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error) return fail("not valid JSON: " + error.message());
  if (!value.is_object()) return fail("a message must be a JSON object");
  const auto& object = value.as_object();
  for (const auto& field : object) {
    if (field.key() != "type" && field.key() != "pipeline" && field.key() != "run" &&
        field.key() != "agents" && field.key() != "after_seq")
      return fail("unknown field '" + std::string(field.key()) + "'");
  }
  ClientRequest request;
  const auto* type = object.if_contains("type");
  if (type == nullptr || !type->is_string()) return fail("'type' must be a string");
  if (type->as_string() == "subscribe") {
    request.kind = ClientRequest::Kind::Subscribe;
  } else if (type->as_string() == "unsubscribe") {
    request.kind = ClientRequest::Kind::Unsubscribe;
  } else {
    return fail("unknown type '" + std::string(type->as_string()) +
                "' (expected subscribe or unsubscribe)");
  }
  const auto* pipeline = object.if_contains("pipeline");
  if (pipeline != nullptr && !pipeline->is_bool()) return fail("'pipeline' must be true or false");
  const bool wants_pipeline = pipeline != nullptr && pipeline->as_bool();
  const auto* agents = object.if_contains("agents");
  if (agents != nullptr && !agents->is_bool()) return fail("'agents' must be true or false");
  request.agents = agents != nullptr && agents->as_bool();
  auto run = read_int(object, "run", 1);
  if (!run.ok()) return fail(run.error());
  request.run = run.value();
  if (int{wants_pipeline} + int{request.agents} + int{request.run.has_value()} != 1) {
    return fail(
        "name one stream: \"pipeline\": true, \"run\": RUN_ID or \"agents\": true (a "
        "separate message for each)");
  }
  auto after = read_int(object, "after_seq", 0);
  if (!after.ok()) return fail(after.error());
  request.after_seq = after.value();
  if (request.after_seq && request.agents)
    return fail("the agents stream has no replay ('after_seq'); read GET /api/agents instead");
  if (request.after_seq && request.kind == ClientRequest::Kind::Unsubscribe)
    return fail("'after_seq' belongs to subscribe");
  return request;
}

std::string error_message(std::string_view message) {
  return json_text(json::object{{"type", "error"}, {"message", message}});
}

std::string resync_message(std::string_view reason) {
  return json_text(json::object{{"type", "resync"}, {"reason", reason}});
}

std::string subscribed_message(std::optional<std::int64_t> run,
                               std::optional<std::int64_t> last_seq) {
  json::object message{{"type", "subscribed"}};
  add_target(message, run);
  message["last_seq"] = last_seq ? json::value(*last_seq) : json::value(nullptr);
  return json_text(message);
}

std::string unsubscribed_message(std::optional<std::int64_t> run) {
  json::object message{{"type", "unsubscribed"}};
  add_target(message, run);
  return json_text(message);
}

std::string agents_subscribed_message() {
  return json_text(json::object{{"type", "subscribed"}, {"agents", true}, {"last_seq", nullptr}});
}

std::string agents_unsubscribed_message() {
  return json_text(json::object{{"type", "unsubscribed"}, {"agents", true}});
}

}  // namespace stork::api
