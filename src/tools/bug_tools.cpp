// Tools on bugs: items of type bug, created with storkit's bug sections, listed open or closed,
// and closed with a reason. Writes go through the pipeline like every other item write.
#include <boost/asio/awaitable.hpp>

#include "base/offload.hpp"
#include "pipeline/transitions.hpp"
#include "tools/tool_groups.hpp"
#include "tools/tool_support.hpp"

namespace stork::tools {
namespace asio = boost::asio;
namespace {

using Handler = asio::awaitable<mcp::ToolResult>;

// render_new_item writes a bug's sections with placeholders and takes one description text,
// so what the reporter knows of reproduction and results travels in it, labelled.
std::string bug_description(const json::object& args) {
  std::string text = text_arg(args, "description");
  const std::pair<const char*, const char*> parts[] = {{"steps_to_reproduce", "How to reproduce"},
                                                       {"actual_result", "Actual result"},
                                                       {"expected_result", "Expected result"}};
  for (const auto& [key, label] : parts) {
    if (auto value = optional_text(args, key))
      text += "\n\n**" + std::string(label) + ":**\n\n" + *value;
  }
  return text;
}

mcp::Tool create_bug(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "create_bug";
  tool.title = "Report a bug";
  tool.description =
      "Writes a new bug into the backlog (1_backlog) and commits it: what is wrong, how to "
      "reproduce it, what happens and what should. Use it for defects found while working; "
      "start it with start_agent like any item.";
  tool.input_schema = input_schema(
      {{"name", text_schema("Short title, e.g. 'Export drops the last row'", 200), true},
       {"description", text_schema("What is wrong", 20000), true},
       {"steps_to_reproduce", text_schema("Numbered steps", 20000)},
       {"actual_result", text_schema("What happens", 5000)},
       {"expected_result", text_schema("What should happen", 5000)},
       {"acceptance_criteria", text_list_schema("How to tell it is fixed, one statement each")}});
  tool.handler = [services](const json::object& args, mcp::ToolContext&) -> Handler {
    NewItem item;
    item.type = ItemType::Bug;
    item.name = text_arg(args, "name");
    item.description = bug_description(args);
    item.criteria = text_list(args, "acceptance_criteria");
    auto creating = services.pipeline->create_item(std::move(item));
    auto created = co_await std::move(creating);
    if (!created.ok()) co_return pipeline_error(created.error());
    auto answer = item_json(created.value());
    answer["path"] = created.value().path.lexically_relative(services.project_root).string();
    answer["message"] = "Created " + created.value().id.str() + " in 1_backlog";
    co_return mcp::ToolResult::ok_json(std::move(answer));
  };
  return tool;
}

bool is_closed(Stage stage) {
  return stage == Stage::Done || stage == Stage::Archived;
}

mcp::Tool list_bugs(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "list_bugs";
  tool.title = "Bugs";
  tool.description =
      "Lists the open bugs (backlog to merge), oldest first; with include_closed=true also those "
      "in done and archived.";
  tool.input_schema =
      input_schema({{"include_closed", boolean_schema("Also list done and archived bugs")}});
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [root = services.project_root, workers = services.workers](
                     const json::object& args, mcp::ToolContext&) -> Handler {
    const bool include_closed = optional_bool(args, "include_closed").value_or(false);
    auto read = [root] { return StageStore(root).load_all(); };
    auto listing = co_await offload(workers, read);
    json::array bugs;
    for (const auto& item : listing.items) {
      if (item.id.type != ItemType::Bug || (is_closed(item.stage) && !include_closed)) continue;
      auto bug = item_json(item);
      bug["closed"] = is_closed(item.stage);
      bugs.push_back(std::move(bug));
    }
    json::array problems;
    for (const auto& problem : listing.problems)
      problems.emplace_back(problem.render());
    co_return mcp::ToolResult::ok_json(
        json::object{{"bugs", std::move(bugs)}, {"problems", std::move(problems)}});
  };
  return tool;
}

mcp::Tool close_bug(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "close_bug";
  tool.title = "Close a bug";
  tool.description =
      "Closes a bug: writes the reason into it (front matter `closed_reason`) and moves it to "
      "5_done. The pipeline allows that move from 4_merge only; items of other types are moved "
      "with move_story.";
  tool.input_schema = input_schema(
      {story_id_param(),
       {"reason", text_schema("Why it is closed (fixed by ..., duplicate of ...)", 2000), true}});
  tool.destructive = true;
  tool.idempotent = true;
  tool.handler = [services](const json::object& args, mcp::ToolContext&) -> Handler {
    auto entry = locate_story(services.project_root, text_arg(args, "story_id"));
    if (!entry.ok()) co_return mcp::ToolResult::error(entry.error());
    const auto id = entry.value().id.str();
    if (entry.value().id.type != ItemType::Bug) {
      co_return mcp::ToolResult::error("'" + id + "' is a " +
                                       std::string(to_string(entry.value().id.type)) +
                                       ", not a bug: close_bug closes bugs only (move_story moves "
                                       "other items)");
    }
    if (is_closed(entry.value().stage)) {
      co_return mcp::ToolResult::ok_json(json::object{
          {"story_id", id}, {"stage", stage_name(entry.value().stage)}, {"already_closed", true}});
    }
    // Check before writing the reason, so a refused close leaves the item untouched.
    if (auto legal = pipeline::check_move(entry.value().stage, Stage::Done); !legal.ok()) {
      co_return mcp::ToolResult::error("'" + id +
                                       "' cannot be closed yet: " + legal.error().message());
    }
    const auto reason = text_arg(args, "reason");
    std::function<Result<void, std::string>(WorkItem&)> edit =
        [reason](WorkItem& item) -> Result<void, std::string> {
      item.document.set_string("closed_reason", reason);
      return {};
    };
    auto editing = services.pipeline->edit_item(id, std::move(edit));
    auto edited = co_await std::move(editing);
    if (!edited.ok()) co_return pipeline_error(edited.error());
    auto moving = services.pipeline->move(id, Stage::Done);
    auto moved = co_await std::move(moving);
    if (!moved.ok()) co_return pipeline_error(moved.error());
    co_return mcp::ToolResult::ok_json(json::object{
        {"story_id", id}, {"stage", stage_name(moved.value())}, {"closed_reason", reason}});
  };
  return tool;
}

}  // namespace

void register_bug_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  registry.add(create_bug(services));
  registry.add(list_bugs(services));
  registry.add(close_bug(services));
}

}  // namespace stork::tools
