// Permissions: GET /api/permissions (the agents' questions waiting for a person) and
// POST /api/permissions/{id} (a person's answer), through ops/permission_ops.hpp.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"
#include "ops/permission_json.hpp"
#include "ops/permission_ops.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

http::Response unavailable() {
  return to_response(ApiError{503, "unavailable", "this server holds no permission requests"});
}

asio::awaitable<http::Response> list_permissions(ContextPtr context) {
  const auto& permissions = context->services().permissions;
  if (!permissions) co_return unavailable();
  const auto pending = co_await permissions->pending();
  json::array out;
  for (const auto& request : pending)
    out.push_back(ops::permission_json(request));
  co_return json_response(200, json::object{{"permissions", std::move(out)}});
}

// {"decision": "allow" | "deny", "always"?: bool, "message"?: string}
ApiResult<ops::PermissionVerdict> read_verdict(const http::Request& request) {
  auto body = JsonBody::parse(request.body);
  if (!body.ok()) return fail(body.error());
  if (auto known = body.value().only({"decision", "always", "message"}); !known.ok())
    return fail(known.error());
  auto decision = body.value().required_string("decision");
  if (!decision.ok()) return fail(decision.error());
  if (decision.value() != "allow" && decision.value() != "deny") {
    return fail(invalid_field("decision",
                              "expected \"allow\" or \"deny\", got \"" + decision.value() + "\""));
  }
  auto always = body.value().boolean("always");
  if (!always.ok()) return fail(always.error());
  auto message = body.value().string("message");
  if (!message.ok()) return fail(message.error());
  ops::PermissionVerdict verdict;
  verdict.allow = decision.value() == "allow";
  verdict.always = always.value().value_or(false);
  verdict.message = message.value().value_or("");
  return verdict;
}

asio::awaitable<http::Response> decide(ContextPtr context, http::Request& request) {
  const auto& permissions = context->services().permissions;
  if (!permissions) co_return unavailable();
  auto verdict = read_verdict(request);
  if (!verdict.ok()) co_return to_response(verdict.error());
  const std::string id = request.path_params.at("id");
  auto decided = co_await permissions->decide(id, verdict.value());
  if (!decided.ok()) {
    const auto& error = decided.error();
    // A broken permissions.toml is the project's file, not an item: say which file.
    if (error.kind == ops::OpError::Kind::Malformed)
      co_return to_response(ApiError{422, "malformed_rules", error.message});
    if (error.kind == ops::OpError::Kind::NotFound) co_return to_response(not_found(error.message));
    co_return op_failure(error);
  }
  co_return json_response(200, ops::answer_json(id, decided.value()));
}

}  // namespace

void add_permission_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "GET", "/api/permissions", [context](http::Request&) { return list_permissions(context); },
      "permissions");
  router.add(
      "POST", "/api/permissions/{id}",
      [context](http::Request& request) { return decide(context, request); }, "permissions_decide");
}

}  // namespace stork::api
