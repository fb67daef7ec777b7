// The setup wizard over REST (docs/wizard.md), through ops/wizard_ops.hpp:
//   GET  /api/wizard                     the wizard's state
//   POST /api/wizard/{step}/generate     {}
//   POST /api/wizard/{step}/retry        {"feedback"}
//   POST /api/wizard/{step}/edit         {"content"}
//   POST /api/wizard/{step}/confirm      {"overwrite"?, "content"?}
//   POST /api/wizard/{step}/skip         {}
//   POST /api/wizard/finish              the `storkit: setup` commit again after it failed
// {step} is a step's name or "current". Every answer is the wizard's whole state; refusals are
// the ops layer's errors (409 for a step in the wrong state, 400 naming the field).
#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"
#include "ops/wizard_json.hpp"
#include "ops/wizard_ops.hpp"

namespace stork::api {
namespace asio = boost::asio;

namespace {

http::Response answer(const ops::OpResult<ops::WizardStatus>& result) {
  if (!result.ok()) return op_failure(result.error());
  return json_response(200, ops::wizard_status_json(result.value()));
}

asio::awaitable<http::Response> status(ContextPtr context) {
  auto result = co_await context->services().wizard->status();
  co_return answer(result);
}

// The body's fields for `action`, read and checked; the call to make with them.
asio::awaitable<http::Response> act(ContextPtr context, http::Request& request) {
  std::string step = request.path_params["step"];
  if (step == "current") step.clear();
  const std::string action = request.path_params["action"];
  auto body = JsonBody::parse(request);
  if (!body.ok()) co_return to_response(body.error());
  auto& wizard = *context->services().wizard;
  if (action == "generate" || action == "skip") {
    if (auto known = body.value().only({}); !known.ok()) co_return to_response(known.error());
    if (action == "generate") {
      auto result = co_await wizard.generate(step);
      co_return answer(result);
    }
    auto result = co_await wizard.skip(step);
    co_return answer(result);
  }
  if (action == "retry") {
    if (auto known = body.value().only({"feedback"}); !known.ok())
      co_return to_response(known.error());
    auto feedback = body.value().required_string("feedback");
    if (!feedback.ok()) co_return to_response(feedback.error());
    auto result = co_await wizard.retry(step, feedback.value());
    co_return answer(result);
  }
  if (action == "edit") {
    if (auto known = body.value().only({"content"}); !known.ok())
      co_return to_response(known.error());
    auto content = body.value().string("content");
    if (!content.ok()) co_return to_response(content.error());
    if (!content.value()) co_return to_response(invalid_field("content", "is required"));
    auto result = co_await wizard.edit(step, *content.value());
    co_return answer(result);
  }
  if (action == "confirm") {
    if (auto known = body.value().only({"overwrite", "content"}); !known.ok())
      co_return to_response(known.error());
    auto overwrite = body.value().boolean("overwrite");
    if (!overwrite.ok()) co_return to_response(overwrite.error());
    auto content = body.value().string("content");
    if (!content.ok()) co_return to_response(content.error());
    auto result = co_await wizard.confirm(step, overwrite.value().value_or(false), content.value());
    co_return answer(result);
  }
  co_return http::Response::error(
      404, "not_found", "no wizard action '" + action + "' (generate, retry, edit, confirm, skip)");
}

asio::awaitable<http::Response> finish(ContextPtr context) {
  auto result = co_await context->services().wizard->finish();
  co_return answer(result);
}

}  // namespace

void add_wizard_routes(http::Router& router, const ContextPtr& context) {
  if (!context->services().wizard) return;
  router.add(
      "GET", "/api/wizard", [context](http::Request&) { return status(context); }, "wizard");
  router.add(
      "POST", "/api/wizard/finish", [context](http::Request&) { return finish(context); },
      "wizard_finish");
  router.add(
      "POST", "/api/wizard/{step}/{action}",
      [context](http::Request& request) { return act(context, request); }, "wizard_action");
}

}  // namespace stork::api
