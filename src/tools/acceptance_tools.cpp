// Tools on an item's acceptance criteria and test results: what a coder checks off as it
// works, and what it confirms before it reports completion. Writes go through edit_item.
#include <boost/asio/awaitable.hpp>

#include "tools/tool_groups.hpp"
#include "tools/tool_support.hpp"

namespace stork::tools {
namespace asio = boost::asio;
namespace {

using Handler = asio::awaitable<mcp::ToolResult>;

mcp::Tool get_story_todos(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "get_story_todos";
  tool.title = "Acceptance criteria of an item";
  tool.description =
      "Lists the item's acceptance criteria with their index and whether each is checked. Tick "
      "one with check_criterion when it is met.";
  tool.input_schema = input_schema({story_id_param()});
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [root = services.project_root](const json::object& args,
                                                mcp::ToolContext&) -> Handler {
    auto item = load_story(root, text_arg(args, "story_id"));
    if (!item.ok()) co_return mcp::ToolResult::error(item.error());
    co_return mcp::ToolResult::ok_json(json::object{{"story_id", item.value().id.str()},
                                                    {"stage", stage_name(item.value().stage)},
                                                    {"criteria", criteria_json(item.value())}});
  };
  return tool;
}

mcp::Tool check_criterion(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "check_criterion";
  tool.title = "Tick an acceptance criterion";
  tool.description =
      "Ticks (or, with checked=false, clears) acceptance criterion `index` of an item, as "
      "get_story_todos numbers them. Tick a criterion only when the work meets it.";
  tool.input_schema =
      input_schema({story_id_param(),
                    {"index", integer_schema("0-based, from get_story_todos", 0, 10000), true},
                    {"checked", boolean_schema("true (default) ticks, false clears")}});
  tool.idempotent = true;
  tool.handler = [services](const json::object& args, mcp::ToolContext&) -> Handler {
    auto entry = locate_story(services.project_root, text_arg(args, "story_id"));
    if (!entry.ok()) co_return mcp::ToolResult::error(entry.error());
    const auto index = static_cast<std::size_t>(integer_arg(args, "index", 0));
    const bool checked = optional_bool(args, "checked").value_or(true);
    std::function<Result<void, std::string>(WorkItem&)> edit =
        [index, checked](WorkItem& item) -> Result<void, std::string> {
      if (item.set_criterion(index, checked)) return {};
      return fail("'" + item.id.str() + "' has no criterion " + std::to_string(index) +
                  " (it has " + std::to_string(item.criteria().size()) +
                  "; get_story_todos lists them)");
    };
    auto editing = services.pipeline->edit_item(entry.value().id.str(), std::move(edit));
    auto edited = co_await std::move(editing);
    if (!edited.ok()) co_return pipeline_error(edited.error());
    co_return mcp::ToolResult::ok_json(json::object{{"story_id", edited.value().id.str()},
                                                    {"index", index},
                                                    {"checked", checked},
                                                    {"criteria", criteria_json(edited.value())}});
  };
  return tool;
}

mcp::Tool record_tests(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "record_tests";
  tool.title = "Record test results";
  tool.description =
      "Records the outcome of a test run on the item (front matter `test_results`), so people "
      "and QA see it. It does not decide anything: the server's gate does.";
  tool.input_schema =
      input_schema({story_id_param(),
                    {"passed", integer_schema("Tests that passed", 0, 100000000), true},
                    {"failed", integer_schema("Tests that failed", 0, 100000000), true},
                    {"summary", text_schema("One line, e.g. the failing test's name", 500)}});
  tool.idempotent = true;
  tool.handler = [services](const json::object& args, mcp::ToolContext&) -> Handler {
    auto entry = locate_story(services.project_root, text_arg(args, "story_id"));
    if (!entry.ok()) co_return mcp::ToolResult::error(entry.error());
    const auto passed = integer_arg(args, "passed", 0);
    const auto failed = integer_arg(args, "failed", 0);
    std::string results = "passed " + std::to_string(passed) + ", failed " + std::to_string(failed);
    if (auto summary = optional_text(args, "summary")) results += ": " + *summary;
    std::function<Result<void, std::string>(WorkItem&)> edit =
        [results](WorkItem& item) -> Result<void, std::string> {
      item.document.set_string("test_results", results);
      return {};
    };
    auto editing = services.pipeline->edit_item(entry.value().id.str(), std::move(edit));
    auto edited = co_await std::move(editing);
    if (!edited.ok()) co_return pipeline_error(edited.error());
    co_return mcp::ToolResult::ok_json(json::object{{"story_id", edited.value().id.str()},
                                                    {"test_results", results},
                                                    {"all_passed", failed == 0}});
  };
  return tool;
}

mcp::Tool ensure_acceptance(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "ensure_acceptance";
  tool.title = "Check that every criterion is ticked";
  tool.description =
      "Succeeds when every acceptance criterion of the item is checked (or it has none); "
      "otherwise fails listing the unchecked ones. Call it before report_completion.";
  tool.input_schema = input_schema({story_id_param()});
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [root = services.project_root](const json::object& args,
                                                mcp::ToolContext&) -> Handler {
    auto item = load_story(root, text_arg(args, "story_id"));
    if (!item.ok()) co_return mcp::ToolResult::error(item.error());
    const auto criteria = item.value().criteria();
    std::string open;
    std::size_t unchecked = 0;
    for (const auto& criterion : criteria) {
      if (criterion.checked) continue;
      ++unchecked;
      open += "\n  [" + std::to_string(criterion.index) + "] " + criterion.text;
    }
    if (unchecked > 0) {
      co_return mcp::ToolResult::error(
          std::to_string(unchecked) + " of " + std::to_string(criteria.size()) +
          " acceptance criteria of " + item.value().id.str() + " are not checked:" + open +
          "\nMeet each one, then tick it with check_criterion.");
    }
    co_return mcp::ToolResult::ok_json(json::object{{"story_id", item.value().id.str()},
                                                    {"criteria_total", criteria.size()},
                                                    {"accepted", true}});
  };
  return tool;
}

}  // namespace

void register_acceptance_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  registry.add(get_story_todos(services));
  registry.add(check_criterion(services));
  registry.add(record_tests(services));
  registry.add(ensure_acceptance(services));
}

}  // namespace stork::tools
