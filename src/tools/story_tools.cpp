// Tools on work items. Reads go to the item files directly; every write goes through the
// pipeline (create_item, edit_item, move, unblock), which serialises it with its own edits.
#include <boost/asio/awaitable.hpp>

#include "base/offload.hpp"
#include "config/project_config.hpp"
#include "tools/tool_groups.hpp"
#include "tools/tool_support.hpp"

namespace stork::tools {
namespace asio = boost::asio;
namespace {

using Handler = asio::awaitable<mcp::ToolResult>;

json::object qa_schema(std::string_view description) {
  return choice_schema(description, {"server", "agent", "human"});
}

// The agent a story may prefer must be in the roster, or auto-assign would wait forever.
std::optional<std::string> unknown_agent(const ToolServices& services, const std::string& name) {
  auto config = services.config ? services.config() : nullptr;
  if (config && config->find_agent(name) == nullptr) {
    return "No agent '" + name + "' in project.toml: get_agent_config lists the roster";
  }
  return std::nullopt;
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
  tool.handler = [services](const json::object& args, mcp::ToolContext&) -> Handler {
    NewItem item;
    item.type = ItemType::Story;
    item.name = text_arg(args, "name");
    item.description = optional_text(args, "user_story").value_or("");
    item.criteria = text_list(args, "acceptance_criteria");
    item.depends_on = text_list(args, "depends_on");
    item.agent = optional_text(args, "agent");
    if (auto qa = optional_text(args, "qa")) item.qa = parse_qa_mode(*qa);
    if (item.agent) {
      if (auto unknown = unknown_agent(services, *item.agent))
        co_return mcp::ToolResult::error(*unknown);
    }
    auto creating = services.pipeline->create_item(std::move(item));
    auto created = co_await std::move(creating);
    if (!created.ok()) co_return pipeline_error(created.error());
    auto answer = item_json(created.value());
    answer["path"] = created.value().path.lexically_relative(services.project_root).string();
    answer["message"] = "Created " + created.value().id.str() +
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
  tool.handler = [root = services.project_root, workers = services.workers](
                     const json::object&, mcp::ToolContext&) -> Handler {
    auto read = [root] { return StageStore(root).load_all(); };
    auto listing = co_await offload(workers, read);
    json::array items;
    for (Stage stage : {Stage::Current, Stage::Backlog}) {
      for (const auto& item : listing.items) {
        if (item.stage == stage) items.push_back(item_json(item));
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

// depends_on entries as full ids of existing items, or why one is not usable.
Result<std::vector<std::string>, std::string> resolve_dependencies(
    const std::filesystem::path& root, const std::string& self,
    const std::vector<std::string>& wanted) {
  std::vector<std::string> ids;
  for (const auto& dependency : wanted) {
    auto entry = locate_story(root, dependency);
    if (!entry.ok()) return fail("depends_on: " + entry.error());
    if (entry.value().id.str() == self) return fail("depends_on: an item cannot depend on itself");
    ids.push_back(entry.value().id.str());
  }
  return ids;
}

// What update_story changes: an absent optional leaves the field alone; an inner nullopt
// (null) or an empty list removes it.
struct FieldChanges {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> agent, qa;
  std::optional<std::vector<std::string>> depends_on;  // full ids, resolved already
  std::optional<bool> manual_qa;

  static FieldChanges from(const json::object& args) {
    FieldChanges changes;
    changes.name = optional_text(args, "name");
    if (args.contains("agent")) changes.agent = optional_text(args, "agent");
    if (args.contains("qa")) changes.qa = optional_text(args, "qa");
    changes.manual_qa = optional_bool(args, "manual_qa");
    return changes;
  }

  void apply(ItemDocument& document) const {
    if (name) document.set_string("name", *name);
    set_or_remove(document, "agent", agent);
    set_or_remove(document, "qa", qa);
    if (depends_on && depends_on->empty()) document.remove("depends_on");
    if (depends_on && !depends_on->empty()) document.set_string_list("depends_on", *depends_on);
    if (manual_qa && *manual_qa) document.set_bool("manual_qa", true);
    if (manual_qa && !*manual_qa) document.remove("manual_qa");
  }

  static void set_or_remove(ItemDocument& document, std::string_view key,
                            const std::optional<std::optional<std::string>>& value) {
    if (value && *value) document.set_string(key, **value);
    if (value && !*value) document.remove(key);
  }
};

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
  tool.handler = [services](const json::object& args, mcp::ToolContext&) -> Handler {
    if (args.size() < 2) {
      co_return mcp::ToolResult::error(
          "Nothing to update: give at least one of name, agent, qa, depends_on, manual_qa");
    }
    auto entry = locate_story(services.project_root, text_arg(args, "story_id"));
    if (!entry.ok()) co_return mcp::ToolResult::error(entry.error());
    const auto id = entry.value().id.str();
    auto changes = FieldChanges::from(args);
    if (changes.agent && *changes.agent) {
      if (auto unknown = unknown_agent(services, **changes.agent))
        co_return mcp::ToolResult::error(*unknown);
    }
    if (args.contains("depends_on")) {
      auto resolved =
          resolve_dependencies(services.project_root, id, text_list(args, "depends_on"));
      if (!resolved.ok()) co_return mcp::ToolResult::error(resolved.error());
      changes.depends_on = std::move(resolved.value());
    }
    std::function<Result<void, std::string>(WorkItem&)> edit =
        [changes](WorkItem& item) -> Result<void, std::string> {
      changes.apply(item.document);
      return {};
    };
    auto editing = services.pipeline->edit_item(id, std::move(edit));
    auto edited = co_await std::move(editing);
    if (!edited.ok()) co_return pipeline_error(edited.error());
    co_return mcp::ToolResult::ok_json(item_json(edited.value()));
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
  tool.handler = [services](const json::object& args, mcp::ToolContext&) -> Handler {
    auto entry = locate_story(services.project_root, text_arg(args, "story_id"));
    if (!entry.ok()) co_return mcp::ToolResult::error(entry.error());
    const auto to = parse_stage(text_arg(args, "stage")).value_or(Stage::Backlog);
    const auto id = entry.value().id.str();
    auto moving = services.pipeline->move(id, to);
    auto moved = co_await std::move(moving);
    if (!moved.ok()) co_return pipeline_error(moved.error());
    co_return mcp::ToolResult::ok_json(json::object{{"story_id", id},
                                                    {"from", stage_name(entry.value().stage)},
                                                    {"stage", stage_name(moved.value())}});
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
  tool.handler = [services](const json::object& args, mcp::ToolContext&) -> Handler {
    auto entry = locate_story(services.project_root, text_arg(args, "story_id"));
    if (!entry.ok()) co_return mcp::ToolResult::error(entry.error());
    const auto id = entry.value().id.str();
    auto unblocking = services.pipeline->unblock(id);
    auto unblocked = co_await std::move(unblocking);
    if (!unblocked.ok()) co_return pipeline_error(unblocked.error());
    auto item = load_story(services.project_root, id);
    if (!item.ok()) co_return mcp::ToolResult::ok_json(json::object{{"story_id", id}});
    co_return mcp::ToolResult::ok_json(item_json(item.value()));
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
