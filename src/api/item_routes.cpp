// Work items: POST /api/items (create), GET /api/items/{id}, PATCH /api/items/{id}. Reads go
// to the item files (off-strand); every write goes through the pipeline, which serialises it
// with its own edits.
#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/item_json.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"
#include "api/story_lookup.hpp"
#include "engine/pipeline.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

ApiResult<void> check_agent(const ApiContext& context, std::string_view field,
                            const std::string& agent) {
  auto config = context.config();
  if (config && config->find_agent(agent) == nullptr)
    return fail(invalid_field(field, "no agent named '" + agent + "' in .storkit/project.toml"));
  return {};
}

ApiResult<std::optional<QaMode>> read_qa(const JsonBody& body) {
  auto text = body.string("qa");
  if (!text.ok()) return fail(text.error());
  if (!text.value()) return std::optional<QaMode>();
  auto mode = parse_qa_mode(*text.value());
  if (!mode) return fail(invalid_field("qa", "expected server, agent or human"));
  return std::optional<QaMode>(*mode);
}

ApiResult<std::vector<std::string>> read_dependencies(const JsonBody& body) {
  auto list = body.strings("depends_on");
  if (!list.ok()) return fail(list.error());
  std::vector<std::string> ids;
  for (const auto& text : list.value().value_or(std::vector<std::string>{})) {
    auto id = check_story_id(text);
    if (!id.ok()) return fail(invalid_field("depends_on", id.error().message));
    ids.push_back(id.value());
  }
  return ids;
}

ApiResult<NewItem> read_new_item(const ApiContext& context, const JsonBody& body) {
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
  if (agent.value()) {
    if (auto checked = check_agent(context, "agent", *agent.value()); !checked.ok())
      return fail(checked.error());
    item.agent = *agent.value();
  }
  auto qa = read_qa(body);
  if (!qa.ok()) return fail(qa.error());
  item.qa = qa.value();
  return item;
}

asio::awaitable<http::Response> create_item(ContextPtr context, http::Request& request) {
  auto body = JsonBody::parse(request.body);
  if (!body.ok()) co_return to_response(body.error());
  auto item = read_new_item(*context, body.value());
  if (!item.ok()) co_return to_response(item.error());
  auto created = co_await context->services().pipeline->create_item(item.value());
  if (!created.ok()) co_return to_response(from_pipeline(created.error()));
  co_return json_response(201, item_detail_json(created.value(), context->services().project_root));
}

asio::awaitable<http::Response> get_item(ContextPtr context, http::Request& request) {
  const auto root = context->services().project_root;
  auto load = [root, id = request.path_params["id"]] { return load_story(root, id); };
  auto item = co_await context->offload(load);
  if (!item.ok()) co_return to_response(item.error());
  co_return json_response(200, item_detail_json(item.value(), root));
}

// The changes a PATCH asks for, checked before the pipeline applies them. A null value removes
// the field (the item then follows the project's defaults).
struct ItemPatch {
  std::optional<std::optional<std::string>> name, agent, qa;
  std::optional<std::vector<std::string>> depends_on;

  Result<void, std::string> apply(WorkItem& item) const {
    auto set = [&item](const char* key, const std::optional<std::string>& value) {
      if (value) {
        item.document.set_string(key, *value);
      } else {
        item.document.remove(key);
      }
    };
    if (name) set("name", *name);
    if (agent) set("agent", *agent);
    if (qa) set("qa", *qa);
    if (depends_on) {
      if (depends_on->empty()) {
        item.document.remove("depends_on");
      } else {
        item.document.set_string_list("depends_on", *depends_on);
      }
    }
    return {};
  }
};

ApiResult<ItemPatch> read_patch(const ApiContext& context, const JsonBody& body) {
  if (auto known = body.only({"name", "agent", "qa", "depends_on"}); !known.ok())
    return fail(known.error());
  ItemPatch patch;
  if (body.has("name")) {
    if (body.is_null("name")) {
      patch.name.emplace();
    } else {
      auto name = body.required_string("name");
      if (!name.ok()) return fail(name.error());
      patch.name.emplace(name.value());
    }
  }
  if (body.has("agent")) {
    auto agent = body.string("agent");
    if (!agent.ok()) return fail(agent.error());
    if (agent.value()) {
      if (auto checked = check_agent(context, "agent", *agent.value()); !checked.ok())
        return fail(checked.error());
    }
    patch.agent.emplace(agent.value());
  }
  if (body.has("qa")) {
    auto qa = read_qa(body);
    if (!qa.ok()) return fail(qa.error());
    patch.qa.emplace(qa.value() ? std::optional<std::string>(std::string(to_string(*qa.value())))
                                : std::nullopt);
  }
  if (body.has("depends_on")) {
    auto dependencies = read_dependencies(body);
    if (!dependencies.ok()) return fail(dependencies.error());
    patch.depends_on = std::move(dependencies.value());
  }
  if (!patch.name && !patch.agent && !patch.qa && !patch.depends_on) {
    return fail(
        ApiError{400, "invalid_input", "nothing to change: give name, agent, qa or depends_on"});
  }
  return patch;
}

asio::awaitable<http::Response> patch_item(ContextPtr context, http::Request& request) {
  const auto root = context->services().project_root;
  auto locate = [root, id = request.path_params["id"]] { return locate_story(root, id); };
  auto entry = co_await context->offload(locate);
  if (!entry.ok()) co_return to_response(entry.error());
  auto body = JsonBody::parse(request.body);
  if (!body.ok()) co_return to_response(body.error());
  auto patch = read_patch(*context, body.value());
  if (!patch.ok()) co_return to_response(patch.error());
  const std::string story = entry.value().id.str();
  std::function<Result<void, std::string>(WorkItem&)> edit =
      [patch = patch.value()](WorkItem& item) { return patch.apply(item); };
  auto edited = co_await context->services().pipeline->edit_item(story, edit);
  if (!edited.ok()) co_return to_response(from_pipeline(edited.error()));
  co_return json_response(200, item_detail_json(edited.value(), root));
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
}

}  // namespace stork::api
