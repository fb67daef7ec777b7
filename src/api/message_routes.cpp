// Messages: POST /api/runs/{run}/messages {"text"} hands a person's message to the agent of
// that run, POST /api/agents/say {"story_id", "agent"?, "text"} to an agent on an item (what
// `stork agent say` calls), both through ops/message_ops.hpp; the answer says whether the live
// agent reads it now ("delivery": "live") or it waits for the agent's next start ("queued",
// with the reason).
#include <limits>

#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"
#include "ops/message_ops.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

http::Response message_failure(const ops::AgentOpError& error) {
  if (const auto* lookup = std::get_if<ops::OpError>(&error.cause)) {
    if (lookup->kind == ops::OpError::Kind::NotFound)
      return to_response(not_found(lookup->message));
    return op_failure(*lookup);
  }
  return to_response(from_pool(std::get<agents::PoolError>(error.cause)));
}

json::object receipt_json(const ops::MessageReceipt& receipt) {
  json::object out{{"run_id", receipt.run_id},
                   {"story_id", receipt.story_id},
                   {"agent", receipt.agent},
                   {"delivery", receipt.live ? "live" : "queued"}};
  if (!receipt.live) out["reason"] = receipt.queued_reason;
  return out;
}

asio::awaitable<http::Response> say(ContextPtr context, http::Request& request) {
  const std::string run_text = request.path_params["run"];
  auto run_id = integer_parameter(&run_text, "run", 1, std::numeric_limits<std::int64_t>::max());
  if (!run_id.ok()) co_return to_response(run_id.error());
  auto body = JsonBody::parse(request);
  if (!body.ok()) co_return to_response(body.error());
  if (auto known = body.value().only({"text"}); !known.ok()) co_return to_response(known.error());
  auto text = body.value().required_string("text");
  if (!text.ok()) co_return to_response(text.error());
  ops::MessageOps messages(*context->services().items);
  auto said = co_await messages.say_to_run(*run_id.value(), text.value());
  if (!said.ok()) co_return message_failure(said.error());
  co_return json_response(200, receipt_json(said.value()));
}

// {"story_id", "agent"?, "text"}
asio::awaitable<http::Response> say_to_agent(ContextPtr context, http::Request& request) {
  auto body = JsonBody::parse(request);
  if (!body.ok()) co_return to_response(body.error());
  if (auto known = body.value().only({"story_id", "agent", "text"}); !known.ok())
    co_return to_response(known.error());
  auto story = body.value().required_string("story_id");
  if (!story.ok()) co_return to_response(story.error());
  auto agent = body.value().string("agent");
  if (!agent.ok()) co_return to_response(agent.error());
  auto text = body.value().required_string("text");
  if (!text.ok()) co_return to_response(text.error());
  ops::MessageOps messages(*context->services().items);
  auto said = co_await messages.say(story.value(), agent.value(), text.value());
  if (!said.ok()) co_return message_failure(said.error());
  co_return json_response(200, receipt_json(said.value()));
}

}  // namespace

void add_message_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "POST", "/api/runs/{run}/messages",
      [context](http::Request& request) { return say(context, request); }, "run_messages");
  router.add(
      "POST", "/api/agents/say",
      [context](http::Request& request) { return say_to_agent(context, request); }, "agents_say");
}

}  // namespace stork::api
