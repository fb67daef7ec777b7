// The project chat (docs/project-chat.md), through ops/chat_ops.hpp:
//   POST /api/chat {"message", "conversation_id"?, "fresh"?} → {"conversation_id", "message_id",
//        "agent", "run_id", "delivery": "live"|"started"}
//   GET  /api/chat → {"conversations": [...]}, most recently active first
//   GET  /api/chat/{id} → the conversation, its lines (person and agent), its runs' events
// The agent's output streams as those runs' events on /ws (story "chat-<id>").
#include <limits>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/event_json.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"
#include "ops/chat_ops.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

http::Response chat_failure(const ops::AgentOpError& error) {
  if (const auto* refused = std::get_if<ops::OpError>(&error.cause)) return op_failure(*refused);
  return to_response(from_pool(std::get<agents::PoolError>(error.cause)));
}

json::object conversation_json(const state::ChatConversation& conversation) {
  return json::object{{"id", conversation.id},
                      {"agent", conversation.agent},
                      {"title", conversation.title},
                      {"story_id", state::chat_story(conversation.id)},
                      {"created_at_ms", conversation.created_at_ms},
                      {"updated_at_ms", conversation.updated_at_ms}};
}

json::object view_json(const ops::ChatView& view) {
  json::array lines;
  for (const auto& line : view.lines) {
    lines.push_back(json::object{{"role", line.role},
                                 {"text", line.text},
                                 {"time_ms", line.time_ms},
                                 {"run_id", line.run_id ? json::value(*line.run_id) : nullptr}});
  }
  json::array events;
  for (const auto& event : view.events) {
    json::object out = run_event_json(event);
    out["run_id"] = event.run_id;
    events.push_back(std::move(out));
  }
  json::array runs;
  for (const auto& run : view.runs)
    runs.push_back(run_record_json(run));
  json::object out = conversation_json(view.conversation);
  out["messages"] = std::move(lines);
  out["events"] = std::move(events);
  out["runs"] = std::move(runs);
  out["cost_usd"] = view.cost_usd;
  return out;
}

asio::awaitable<http::Response> send(ContextPtr context, http::Request& request) {
  auto body = JsonBody::parse(request);
  if (!body.ok()) co_return to_response(body.error());
  if (auto known = body.value().only({"message", "conversation_id", "fresh"}); !known.ok())
    co_return to_response(known.error());
  auto message = body.value().string("message");
  if (!message.ok()) co_return to_response(message.error());
  if (!message.value()) co_return to_response(invalid_field("message", "is required"));
  auto conversation = body.value().integer("conversation_id");
  if (!conversation.ok()) co_return to_response(conversation.error());
  if (conversation.value() && *conversation.value() < 1)
    co_return to_response(invalid_field("conversation_id", "must be a positive integer"));
  auto fresh = body.value().boolean("fresh");
  if (!fresh.ok()) co_return to_response(fresh.error());
  ops::ChatSend outgoing{conversation.value(), *message.value(), fresh.value().value_or(false)};
  ops::ChatOps chat(context->services());
  auto sending = chat.send(std::move(outgoing));
  auto sent = co_await std::move(sending);
  if (!sent.ok()) {
    auto error = sent.error();
    // The body names the text "message" (ops calls it "text").
    if (auto* refused = std::get_if<ops::OpError>(&error.cause);
        refused && refused->field == "text")
      refused->field = "message";
    if (auto* refused = std::get_if<ops::OpError>(&error.cause);
        refused && refused->field == "conversation")
      refused->field = "conversation_id";
    co_return chat_failure(error);
  }
  const auto& receipt = sent.value();
  co_return json_response(200, json::object{{"conversation_id", receipt.conversation_id},
                                            {"message_id", receipt.message_id},
                                            {"agent", receipt.agent},
                                            {"run_id", receipt.run_id},
                                            {"delivery", receipt.live ? "live" : "started"}});
}

asio::awaitable<http::Response> show(ContextPtr context, http::Request& request) {
  const std::string id_text = request.path_params["id"];
  auto id = integer_parameter(&id_text, "id", 1, std::numeric_limits<std::int64_t>::max());
  if (!id.ok()) co_return to_response(id.error());
  ops::ChatOps chat(context->services());
  auto reading = chat.get(*id.value());
  auto view = co_await std::move(reading);
  if (!view.ok()) co_return op_failure(view.error());
  co_return json_response(200, view_json(view.value()));
}

asio::awaitable<http::Response> list(ContextPtr context) {
  ops::ChatOps chat(context->services());
  auto listing = chat.list();
  auto found = co_await std::move(listing);
  if (!found.ok()) co_return op_failure(found.error());
  json::array conversations;
  for (const auto& conversation : found.value())
    conversations.push_back(conversation_json(conversation));
  co_return json_response(200, json::object{{"conversations", std::move(conversations)}});
}

}  // namespace

void add_chat_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "POST", "/api/chat", [context](http::Request& request) { return send(context, request); },
      "chat_send");
  router.add(
      "GET", "/api/chat", [context](http::Request&) { return list(context); }, "chat_list");
  router.add(
      "GET", "/api/chat/{id}", [context](http::Request& request) { return show(context, request); },
      "chat_show");
}

}  // namespace stork::api
