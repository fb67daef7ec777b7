// What people do to an item from the board: POST /api/items/{id}/move, /block, /unblock,
// /criteria/{index}, /qa/approve, /qa/reject, /merge. Each reads its body, calls the item
// operation (ops/item_ops.hpp), and answers the item as it is afterwards (for move, its stage;
// for merge, its place in the queue).
#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"
#include "ops/item_json.hpp"
#include "ops/item_lookup.hpp"
#include "ops/item_ops.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

// The request's body, checked: JSON, an object, no fields but `fields`. The {id} is checked
// for syntax first, so a malformed id is invalid_id whatever the body says.
ApiResult<JsonBody> read_body(const http::Request& request,
                              std::initializer_list<std::string_view> fields) {
  if (auto id = ops::check_story_id(request.path_params.at("id")); !id.ok())
    return fail(from_op(id.error()));
  auto body = JsonBody::parse(request);
  if (!body.ok()) return fail(body.error());
  if (auto known = body.value().only(fields); !known.ok()) return fail(known.error());
  return std::move(body.value());
}

http::Response item_reply(const ops::OpResult<ops::ItemView>& item) {
  if (!item.ok()) return op_failure(item.error());
  return json_response(200, ops::item_detail_json(item.value()));
}

asio::awaitable<http::Response> move_item(ContextPtr context, http::Request& request) {
  auto body = read_body(request, {"stage"});
  if (!body.ok()) co_return to_response(body.error());
  auto stage_text = body.value().required_string("stage");
  if (!stage_text.ok()) co_return to_response(stage_text.error());
  auto stage = parse_stage(stage_text.value());
  if (!stage) {
    co_return to_response(
        invalid_field("stage", "expected backlog, current, qa, merge, done or archived"));
  }
  const std::string id = request.path_params.at("id");
  const Stage to = *stage;
  auto moved = co_await context->services().items->move(id, to);
  if (!moved.ok()) co_return op_failure(moved.error());
  co_return json_response(200, json::object{{"id", moved.value().story},
                                            {"from", stage_name(moved.value().from)},
                                            {"stage", stage_name(moved.value().to)}});
}

asio::awaitable<http::Response> block_item(ContextPtr context, http::Request& request) {
  auto body = read_body(request, {"reason"});
  if (!body.ok()) co_return to_response(body.error());
  auto reason_field = body.value().string("reason");
  if (!reason_field.ok()) co_return to_response(reason_field.error());
  const std::string id = request.path_params.at("id");
  const std::string reason = reason_field.value().value_or("");
  auto item = co_await context->services().items->block(id, reason);
  co_return item_reply(item);
}

asio::awaitable<http::Response> unblock_item(ContextPtr context, http::Request& request) {
  auto body = read_body(request, {});
  if (!body.ok()) co_return to_response(body.error());
  const std::string id = request.path_params.at("id");
  auto item = co_await context->services().items->unblock(id);
  co_return item_reply(item);
}

asio::awaitable<http::Response> check_criterion(ContextPtr context, http::Request& request) {
  const std::string index_text = request.path_params.at("index");
  auto index = integer_parameter(&index_text, "index", 0, 100000);
  if (!index.ok()) {
    co_return to_response(
        ApiError{400, "invalid_index", "criterion index: " + index.error().message});
  }
  auto body = read_body(request, {"checked"});
  if (!body.ok()) co_return to_response(body.error());
  auto checked_field = body.value().boolean("checked");
  if (!checked_field.ok()) co_return to_response(checked_field.error());
  const std::string id = request.path_params.at("id");
  const bool checked = checked_field.value().value_or(true);
  const auto position = static_cast<std::size_t>(*index.value());
  auto item = co_await context->services().items->check_criterion(id, position, checked);
  co_return item_reply(item);
}

asio::awaitable<http::Response> approve_qa(ContextPtr context, http::Request& request) {
  auto body = read_body(request, {});
  if (!body.ok()) co_return to_response(body.error());
  const std::string id = request.path_params.at("id");
  auto item = co_await context->services().items->approve_qa(id);
  co_return item_reply(item);
}

asio::awaitable<http::Response> reject_qa(ContextPtr context, http::Request& request) {
  auto body = read_body(request, {"notes"});
  if (!body.ok()) co_return to_response(body.error());
  auto notes_field = body.value().required_string("notes");
  if (!notes_field.ok()) co_return to_response(notes_field.error());
  const std::string id = request.path_params.at("id");
  const std::string notes = notes_field.value();
  auto item = co_await context->services().items->reject_qa(id, notes);
  co_return item_reply(item);
}

asio::awaitable<http::Response> merge_item(ContextPtr context, http::Request& request) {
  auto body = read_body(request, {});
  if (!body.ok()) co_return to_response(body.error());
  const std::string id = request.path_params.at("id");
  auto queued = co_await context->services().items->merge(id);
  if (!queued.ok()) co_return op_failure(queued.error());
  co_return json_response(
      200, json::object{{"id", queued.value().story}, {"queue_position", queued.value().position}});
}

using Action = asio::awaitable<http::Response> (*)(ContextPtr, http::Request&);

void add_action(http::Router& router, const ContextPtr& context, const char* pattern, Action action,
                const char* name) {
  router.add(
      "POST", pattern,
      [context, action](http::Request& request) { return action(context, request); }, name);
}

}  // namespace

void add_item_action_routes(http::Router& router, const ContextPtr& context) {
  add_action(router, context, "/api/items/{id}/move", move_item, "item_move");
  add_action(router, context, "/api/items/{id}/block", block_item, "item_block");
  add_action(router, context, "/api/items/{id}/unblock", unblock_item, "item_unblock");
  add_action(router, context, "/api/items/{id}/criteria/{index}", check_criterion,
             "item_criterion");
  add_action(router, context, "/api/items/{id}/qa/approve", approve_qa, "item_qa_approve");
  add_action(router, context, "/api/items/{id}/qa/reject", reject_qa, "item_qa_reject");
  add_action(router, context, "/api/items/{id}/merge", merge_item, "item_merge");
}

}  // namespace stork::api
