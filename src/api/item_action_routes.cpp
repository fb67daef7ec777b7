// What people do to an item from the board: POST /api/items/{id}/move, /block, /unblock,
// /criteria/{index}, /qa/approve, /qa/reject, /merge. Each goes through the pipeline, which
// checks the stage, writes the front matter and emits the event; the answer is the item as it
// is afterwards (or, for merge, its place in the queue).
#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/item_lookup_async.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"
#include "api/story_lookup.hpp"
#include "engine/pipeline.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

// The request's body, checked: JSON, an object, no fields but `fields`. The {id} is checked
// for syntax first, so a malformed id is invalid_id whatever the body says.
ApiResult<JsonBody> read_body(const http::Request& request,
                              std::initializer_list<std::string_view> fields) {
  if (auto id = check_story_id(request.path_params.at("id")); !id.ok()) return fail(id.error());
  auto body = JsonBody::parse(request.body);
  if (!body.ok()) return fail(body.error());
  if (auto known = body.value().only(fields); !known.ok()) return fail(known.error());
  return std::move(body.value());
}

asio::awaitable<http::Response> move_item(ContextPtr context, http::Request& request) {
  auto body = read_body(request, {"stage"});
  if (!body.ok()) co_return to_response(body.error());
  const std::string id = request.path_params.at("id");
  auto resolved = co_await resolve_story(context, id);
  if (!resolved.ok()) co_return to_response(resolved.error());
  const std::string story = resolved.value();
  auto stage_text = body.value().required_string("stage");
  if (!stage_text.ok()) co_return to_response(stage_text.error());
  auto stage = parse_stage(stage_text.value());
  if (!stage) {
    co_return to_response(
        invalid_field("stage", "expected backlog, current, qa, merge, done or archived"));
  }
  const Stage to = *stage;
  auto moved = co_await context->services().pipeline->move(story, to);
  if (!moved.ok()) co_return to_response(from_pipeline(moved.error()));
  co_return json_response(200, json::object{{"id", story}, {"stage", stage_name(moved.value())}});
}

asio::awaitable<http::Response> block_item(ContextPtr context, http::Request& request) {
  auto body = read_body(request, {"reason"});
  if (!body.ok()) co_return to_response(body.error());
  const std::string id = request.path_params.at("id");
  auto resolved = co_await resolve_story(context, id);
  if (!resolved.ok()) co_return to_response(resolved.error());
  const std::string story = resolved.value();
  auto reason_field = body.value().string("reason");
  if (!reason_field.ok()) co_return to_response(reason_field.error());
  const std::string reason = reason_field.value().value_or("");
  auto blocked = co_await context->services().pipeline->block(story, reason);
  if (!blocked.ok()) co_return to_response(from_pipeline(blocked.error()));
  auto response = co_await item_response(context, story);
  co_return response;
}

asio::awaitable<http::Response> unblock_item(ContextPtr context, http::Request& request) {
  auto body = read_body(request, {});
  if (!body.ok()) co_return to_response(body.error());
  const std::string id = request.path_params.at("id");
  auto resolved = co_await resolve_story(context, id);
  if (!resolved.ok()) co_return to_response(resolved.error());
  const std::string story = resolved.value();
  auto unblocked = co_await context->services().pipeline->unblock(story);
  if (!unblocked.ok()) co_return to_response(from_pipeline(unblocked.error()));
  auto response = co_await item_response(context, story);
  co_return response;
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
  const std::string id = request.path_params.at("id");
  auto resolved = co_await resolve_story(context, id);
  if (!resolved.ok()) co_return to_response(resolved.error());
  const std::string story = resolved.value();
  auto checked_field = body.value().boolean("checked");
  if (!checked_field.ok()) co_return to_response(checked_field.error());
  const bool checked = checked_field.value().value_or(true);
  const auto position = static_cast<std::size_t>(*index.value());
  auto missing = std::make_shared<std::size_t>(0);  // criteria count when out of range
  std::function<Result<void, std::string>(WorkItem&)> edit = [position, checked,
                                                              missing](WorkItem& item) {
    if (item.set_criterion(position, checked)) return Result<void, std::string>();
    *missing = item.criteria().size() + 1;
    return Result<void, std::string>(fail(std::string("no criterion ") + std::to_string(position)));
  };
  auto edited = co_await context->services().pipeline->edit_item(story, edit);
  if (!edited.ok()) {
    if (*missing != 0) {
      co_return to_response(not_found("'" + story + "' has no criterion " +
                                      std::to_string(position) + " (it has " +
                                      std::to_string(*missing - 1) + ", numbered from 0)"));
    }
    co_return to_response(from_pipeline(edited.error()));
  }
  auto response = co_await item_response(context, story);
  co_return response;
}

asio::awaitable<http::Response> approve_qa(ContextPtr context, http::Request& request) {
  auto body = read_body(request, {});
  if (!body.ok()) co_return to_response(body.error());
  const std::string id = request.path_params.at("id");
  auto resolved = co_await resolve_story(context, id);
  if (!resolved.ok()) co_return to_response(resolved.error());
  const std::string story = resolved.value();
  auto approved = co_await context->services().pipeline->approve_qa(story);
  if (!approved.ok()) co_return to_response(from_pipeline(approved.error()));
  auto response = co_await item_response(context, story);
  co_return response;
}

asio::awaitable<http::Response> reject_qa(ContextPtr context, http::Request& request) {
  auto body = read_body(request, {"notes"});
  if (!body.ok()) co_return to_response(body.error());
  const std::string id = request.path_params.at("id");
  auto resolved = co_await resolve_story(context, id);
  if (!resolved.ok()) co_return to_response(resolved.error());
  const std::string story = resolved.value();
  auto notes_field = body.value().required_string("notes");
  if (!notes_field.ok()) co_return to_response(notes_field.error());
  const std::string notes = notes_field.value();
  auto rejected = co_await context->services().pipeline->reject_qa(story, notes);
  if (!rejected.ok()) co_return to_response(from_pipeline(rejected.error()));
  auto response = co_await item_response(context, story);
  co_return response;
}

asio::awaitable<http::Response> merge_item(ContextPtr context, http::Request& request) {
  auto body = read_body(request, {});
  if (!body.ok()) co_return to_response(body.error());
  const std::string id = request.path_params.at("id");
  auto resolved = co_await resolve_story(context, id);
  if (!resolved.ok()) co_return to_response(resolved.error());
  const std::string story = resolved.value();
  auto queued = co_await context->services().pipeline->merge(story);
  if (!queued.ok()) co_return to_response(from_pipeline(queued.error()));
  co_return json_response(200, json::object{{"id", story}, {"queue_position", queued.value()}});
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
