// Tools on work items. Reads go to the item files directly; every write goes through the
// pipeline, which serialises it with its own edits.
#include <boost/json/array.hpp>

#include "tools/tool_groups.hpp"
#include "work/stage_store.hpp"

namespace stork::tools {
namespace json = boost::json;
namespace {

json::object story_id_schema() {
  return json::object{
      {"type", "object"},
      {"properties",
       json::object{{"story_id", json::object{{"type", "string"},
                                              {"description",
                                               "The item's id (42_story_login) or number (42)"}}}}},
      {"required", json::array{"story_id"}},
      {"additionalProperties", false}};
}

}  // namespace

void register_story_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  mcp::Tool todos;
  todos.name = "get_story_todos";
  todos.title = "Acceptance criteria of an item";
  todos.description =
      "Lists the item's acceptance criteria with their index and whether each is checked. Tick "
      "one with check_criterion when it is met.";
  todos.input_schema = story_id_schema();
  todos.read_only = true;
  todos.idempotent = true;
  todos.handler = [root = services.project_root](
                      const json::object& args,
                      mcp::ToolContext&) -> boost::asio::awaitable<mcp::ToolResult> {
    const auto id = std::string(args.at("story_id").as_string());
    auto item = StageStore(root).load(id);
    if (!item.ok()) co_return mcp::ToolResult::error(item.error().render());
    json::array criteria;
    for (const auto& criterion : item.value().criteria()) {
      criteria.push_back(json::object{
          {"index", criterion.index}, {"text", criterion.text}, {"checked", criterion.checked}});
    }
    co_return mcp::ToolResult::ok_json(json::object{{"story_id", item.value().id.str()},
                                                    {"stage", stage_name(item.value().stage)},
                                                    {"criteria", std::move(criteria)}});
  };
  registry.add(std::move(todos));
}

}  // namespace stork::tools
