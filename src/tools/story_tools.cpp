// Tools on work items: arguments → the item operation (ops/item_ops.hpp) → the one item JSON.
#include <boost/asio/awaitable.hpp>

#include "ops/item_json.hpp"
#include "ops/item_ops.hpp"
#include "tools/tool_groups.hpp"
#include "tools/tool_support.hpp"

namespace stork::tools {
namespace asio = boost::asio;
namespace {

using Handler = asio::awaitable<mcp::ToolResult>;

json::object qa_schema(std::string_view description) {
  return choice_schema(description, {"server", "agent", "human"});
}

mcp::Tool create_story(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "create_story";
  tool.title = "Create a story";
  tool.description =
      "Writes a new story into the backlog (1_backlog) and commits it. Use it to record new "
      "work; it starts when someone calls start_agent, or by itself once every depends_on item "
      "is done.";
  tool.input_schema = input_schema(
      {{"name", text_schema("Short title, e.g. 'Add CSV export'", 200), true},
       {"user_story", text_schema("As a <user> I want <goal> so that <reason>", 20000)},
       {"acceptance_criteria", text_list_schema("One checkable statement each")},
       {"depends_on", text_list_schema("Ids or numbers of items that must be done first")},
       {"agent", text_schema("Preferred agent (a roster name)", 100)},
       {"qa", qa_schema("QA mode for this item (default: the project's default_qa)")}});
  tool.handler = [items = services.items](const json::object& args, mcp::ToolContext&) -> Handler {
    NewItem item;
    item.type = ItemType::Story;
    item.name = text_arg(args, "name");
    item.description = optional_text(args, "user_story").value_or("");
    item.criteria = text_list(args, "acceptance_criteria");
    item.depends_on = text_list(args, "depends_on");
    item.agent = optional_text(args, "agent");
    if (auto qa = optional_text(args, "qa")) item.qa = parse_qa_mode(*qa);
    auto created = co_await items->create(item);
    if (!created.ok()) co_return op_error(created.error());
    auto answer = ops::item_summary_json(created.value());
    answer["message"] = "Created " + created.value().id +
                        " in 1_backlog; start it with start_agent when it should be worked on";
    co_return mcp::ToolResult::ok_json(std::move(answer));
  };
  return tool;
}

mcp::Tool list_upcoming(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "list_upcoming";
  tool.title = "Upcoming work";
  tool.description =
      "Lists the items being worked on (2_current) and waiting (1_backlog), oldest first, with "
      "their flags (blocked, review_hold, merge_failure, retries) and criteria progress. Use it "
      "to find what to work on next.";
  tool.input_schema = input_schema();
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [operations = services.items](const json::object&, mcp::ToolContext&) -> Handler {
    const std::optional<Stage> every;
    auto listing = co_await operations->list(every, ops::ViewDepth::Summary);
    json::array items;
    for (Stage stage : {Stage::Current, Stage::Backlog}) {
      for (const auto& item : listing.items) {
        if (item.stage == stage) items.push_back(ops::item_summary_json(item));
      }
    }
    json::array problems;
    for (const auto& problem : listing.problems)
      problems.emplace_back(problem.render());
    co_return mcp::ToolResult::ok_json(
        json::object{{"items", std::move(items)}, {"problems", std::move(problems)}});
  };
  return tool;
}

// A text field that may also be cleared with null.
json::object nullable(json::object schema) {
  schema["type"] = json::array{"string", "null"};
  if (auto* choices = schema.if_contains("enum")) choices->as_array().emplace_back(nullptr);
  return schema;
}

// What update_story changes: an absent argument leaves the field alone; null clears agent or
// qa, an empty depends_on clears the list.
ops::UpdateRequest update_request(const json::object& args) {
  ops::UpdateRequest request;
  if (auto name = optional_text(args, "name")) request.patch.name.emplace(*name);
  if (args.contains("agent")) request.patch.agent = optional_text(args, "agent");
  if (args.contains("qa")) request.patch.qa = optional_text(args, "qa");
  request.patch.manual_qa = optional_bool(args, "manual_qa");
  if (args.contains("depends_on")) request.depends_on = text_list(args, "depends_on");
  return request;
}

mcp::Tool update_story(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "update_story";
  tool.title = "Change an item's fields";
  tool.description =
      "Changes the item's front matter: name, preferred agent, QA mode, depends_on, manual_qa. "
      "Give only what changes; null clears agent or qa, an empty depends_on clears it. The body "
      "and every other field stay byte for byte.";
  tool.input_schema =
      input_schema({story_id_param(),
                    {"name", text_schema("New title", 200)},
                    {"agent", nullable(text_schema("Preferred agent (a roster name)", 100))},
                    {"qa", nullable(qa_schema("QA mode for this item"))},
                    {"depends_on", text_list_schema("Ids or numbers; replaces the list")},
                    {"manual_qa", boolean_schema("true: a person reviews it in QA")}});
  tool.idempotent = true;
  tool.handler = [items = services.items](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto id = text_arg(args, "story_id");
    const auto request = update_request(args);
    auto edited = co_await items->update(id, request);
    if (!edited.ok()) co_return op_error(edited.error());
    co_return mcp::ToolResult::ok_json(ops::item_summary_json(edited.value()));
  };
  return tool;
}

mcp::Tool move_story(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "move_story";
  tool.title = "Move an item to another stage";
  tool.description =
      "Moves an item along a legal transition: backlog→current; current→qa, merge, backlog; "
      "qa→merge, current, backlog; merge→done, current, backlog; done→archived. Moving to merge "
      "queues the merge. Prefer the specific tools (request_qa, approve_qa, merge_agent_work).";
  tool.input_schema = input_schema(
      {story_id_param(),
       {"stage",
        choice_schema("Target stage, by name or directory name",
                      {"backlog", "current", "qa", "merge", "done", "archived", "1_backlog",
                       "2_current", "3_qa", "4_merge", "5_done", "6_archived"}),
        true}});
  tool.destructive = true;
  tool.idempotent = true;
  tool.handler = [items = services.items](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto id = text_arg(args, "story_id");
    const auto to = parse_stage(text_arg(args, "stage")).value_or(Stage::Backlog);
    auto moved = co_await items->move(id, to);
    if (!moved.ok()) co_return op_error(moved.error());
    co_return mcp::ToolResult::ok_json(json::object{{"story_id", moved.value().story},
                                                    {"from", stage_name(moved.value().from)},
                                                    {"stage", stage_name(moved.value().to)}});
  };
  return tool;
}

mcp::Tool unblock(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "unblock";
  tool.title = "Unblock an item";
  tool.description =
      "Clears blocked, blocked_reason, merge_failure and retry_count, so auto-assign and the "
      "merge queue take the item again. Use it once the cause of the block is fixed.";
  tool.input_schema = input_schema({story_id_param()});
  tool.idempotent = true;
  tool.handler = [items = services.items](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto id = text_arg(args, "story_id");
    auto unblocked = co_await items->unblock(id);
    if (!unblocked.ok()) co_return op_error(unblocked.error());
    co_return mcp::ToolResult::ok_json(ops::item_summary_json(unblocked.value()));
  };
  return tool;
}

}  // namespace

void register_story_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  registry.add(create_story(services));
  registry.add(list_upcoming(services));
  registry.add(update_story(services));
  registry.add(move_story(services));
  registry.add(unblock(services));
}

}  // namespace stork::tools
