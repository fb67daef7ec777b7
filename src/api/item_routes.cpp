// Work items: POST /api/items (create), GET /api/items/{id}, PATCH /api/items/{id} and GET
// /api/items/{id}/timeline. Each route reads its request, calls the item operation
// (ops/item_ops.hpp) and renders the one item JSON (ops/item_json.hpp) or the timeline's
// (ops/timeline_json.hpp).
#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"
#include "ops/item_json.hpp"
#include "ops/item_lookup.hpp"
#include "ops/item_ops.hpp"
#include "ops/timeline_json.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

ApiResult<std::optional<QaMode>> read_qa(const JsonBody& body) {
  auto text = body.string("qa");
  if (!text.ok()) return fail(text.error());
  if (!text.value()) return std::optional<QaMode>();
  auto mode = parse_qa_mode(*text.value());
  if (!mode) return fail(invalid_field("qa", "expected server, agent or human"));
  return std::optional<QaMode>(*mode);
}

// Ids as given; the operation resolves them against the items.
ApiResult<std::vector<std::string>> read_dependencies(const JsonBody& body) {
  auto list = body.strings("depends_on");
  if (!list.ok()) return fail(list.error());
  return list.value().value_or(std::vector<std::string>{});
}

ApiResult<NewItem> read_new_item(const JsonBody& body) {
  if (auto known = body.only(
          {"type", "name", "description", "acceptance_criteria", "depends_on", "agent", "qa"});
      !known.ok())
    return fail(known.error());
  NewItem item;
  auto type = body.string("type");
  if (!type.ok()) return fail(type.error());
  if (type.value()) {
    auto parsed = parse_item_type(*type.value());
    if (!parsed) return fail(invalid_field("type", "expected story, bug, spike or refactor"));
    item.type = *parsed;
  }
  auto name = body.required_string("name");
  if (!name.ok()) return fail(name.error());
  item.name = std::move(name.value());
  auto description = body.string("description");
  if (!description.ok()) return fail(description.error());
  item.description = description.value().value_or("");
  auto criteria = body.strings("acceptance_criteria");
  if (!criteria.ok()) return fail(criteria.error());
  item.criteria = criteria.value().value_or(std::vector<std::string>{});
  auto dependencies = read_dependencies(body);
  if (!dependencies.ok()) return fail(dependencies.error());
  item.depends_on = std::move(dependencies.value());
  auto agent = body.string("agent");
  if (!agent.ok()) return fail(agent.error());
  item.agent = agent.value();
  auto qa = read_qa(body);
  if (!qa.ok()) return fail(qa.error());
  item.qa = qa.value();
  return item;
}

asio::awaitable<http::Response> create_item(ContextPtr context, http::Request& request) {
  auto body = JsonBody::parse(request);
  if (!body.ok()) co_return to_response(body.error());
  auto item = read_new_item(body.value());
  if (!item.ok()) co_return to_response(item.error());
  auto created = co_await context->services().items->create(item.value());
  if (!created.ok()) co_return op_failure(created.error());
  co_return json_response(201, ops::item_detail_json(created.value()));
}

asio::awaitable<http::Response> get_item(ContextPtr context, http::Request& request) {
  const std::string id = request.path_params["id"];
  auto item = co_await context->services().items->show(id);
  if (!item.ok()) co_return op_failure(item.error());
  co_return json_response(200, ops::item_detail_json(item.value()));
}

asio::awaitable<http::Response> get_timeline(ContextPtr context, http::Request& request) {
  const std::string id = request.path_params["id"];
  auto timeline = co_await context->services().items->timeline(id);
  if (!timeline.ok()) co_return op_failure(timeline.error());
  co_return json_response(200, ops::timeline_json(timeline.value()));
}

// A text field of a PATCH: absent leaves it, null removes it.
ApiResult<std::optional<std::optional<std::string>>> read_nullable(const JsonBody& body,
                                                                   std::string_view key,
                                                                   bool non_empty) {
  using Change = std::optional<std::optional<std::string>>;
  if (!body.has(key)) return Change();
  if (body.is_null(key)) return Change(std::optional<std::string>());
  if (non_empty) {
    auto text = body.required_string(key);
    if (!text.ok()) return fail(text.error());
    return Change(std::optional<std::string>(text.value()));
  }
  auto text = body.string(key);
  if (!text.ok()) return fail(text.error());
  return Change(text.value());
}

ApiResult<ops::UpdateRequest> read_patch(const JsonBody& body) {
  if (auto known = body.only({"name", "agent", "qa", "depends_on"}); !known.ok())
    return fail(known.error());
  ops::UpdateRequest update;
  auto name = read_nullable(body, "name", true);
  if (!name.ok()) return fail(name.error());
  update.patch.name = name.value();
  auto agent = read_nullable(body, "agent", false);
  if (!agent.ok()) return fail(agent.error());
  update.patch.agent = agent.value();
  if (body.has("qa")) {
    auto qa = read_qa(body);
    if (!qa.ok()) return fail(qa.error());
    update.patch.qa.emplace(qa.value()
                                ? std::optional<std::string>(std::string(to_string(*qa.value())))
                                : std::nullopt);
  }
  if (body.has("depends_on")) {
    auto dependencies = read_dependencies(body);
    if (!dependencies.ok()) return fail(dependencies.error());
    update.depends_on = std::move(dependencies.value());
  }
  return update;
}

asio::awaitable<http::Response> patch_item(ContextPtr context, http::Request& request) {
  const std::string id = request.path_params["id"];
  // A malformed id is invalid_id whatever the body says.
  if (auto checked = ops::check_story_id(id); !checked.ok()) co_return op_failure(checked.error());
  auto body = JsonBody::parse(request);
  if (!body.ok()) co_return to_response(body.error());
  auto patch = read_patch(body.value());
  if (!patch.ok()) co_return to_response(patch.error());
  auto edited = co_await context->services().items->update(id, patch.value());
  if (!edited.ok()) co_return op_failure(edited.error());
  co_return json_response(200, ops::item_detail_json(edited.value()));
}

}  // namespace

void add_item_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "POST", "/api/items",
      [context](http::Request& request) { return create_item(context, request); }, "items");
  router.add(
      "GET", "/api/items/{id}",
      [context](http::Request& request) { return get_item(context, request); }, "item");
  router.add(
      "PATCH", "/api/items/{id}",
      [context](http::Request& request) { return patch_item(context, request); }, "item");
  router.add(
      "GET", "/api/items/{id}/timeline",
      [context](http::Request& request) { return get_timeline(context, request); }, "timeline");
}

}  // namespace stork::api
