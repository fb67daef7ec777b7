// Tools on an item's acceptance criteria and test results: what a coder checks off as it
// works, and what it confirms before it reports completion. Each calls the item operation
// (ops/item_ops.hpp) and answers the item's criteria in the one item JSON's shape.
#include <boost/asio/awaitable.hpp>

#include "ops/item_json.hpp"
#include "ops/item_ops.hpp"
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
  tool.handler = [items = services.items](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto id = text_arg(args, "story_id");
    auto item = co_await items->show(id);
    if (!item.ok()) co_return op_error(item.error());
    co_return mcp::ToolResult::ok_json(
        json::object{{"story_id", item.value().id},
                     {"stage", stage_name(item.value().stage)},
                     {"criteria_total", item.value().criteria.size()},
                     {"criteria_checked", item.value().criteria_checked},
                     {"criteria", ops::criteria_json(item.value())}});
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
  tool.handler = [items = services.items](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto id = text_arg(args, "story_id");
    const auto index = static_cast<std::size_t>(integer_arg(args, "index", 0));
    const bool checked = optional_bool(args, "checked").value_or(true);
    auto edited = co_await items->check_criterion(id, index, checked);
    if (!edited.ok()) {
      auto refusal = edited.error();
      if (refusal.field == "index") refusal.message += "; get_story_todos lists them";
      co_return op_error(refusal);
    }
    co_return mcp::ToolResult::ok_json(
        json::object{{"story_id", edited.value().id},
                     {"index", index},
                     {"checked", checked},
                     {"criteria", ops::criteria_json(edited.value())}});
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
  tool.handler = [items = services.items](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto id = text_arg(args, "story_id");
    const auto passed = integer_arg(args, "passed", 0);
    const auto failed = integer_arg(args, "failed", 0);
    const auto summary = optional_text(args, "summary");
    auto recorded = co_await items->record_tests(id, passed, failed, summary);
    if (!recorded.ok()) co_return op_error(recorded.error());
    co_return mcp::ToolResult::ok_json(json::object{{"story_id", recorded.value().story},
                                                    {"test_results", recorded.value().text},
                                                    {"all_passed", recorded.value().all_passed}});
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
  tool.handler = [items = services.items](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto id = text_arg(args, "story_id");
    auto item = co_await items->show(id);
    if (!item.ok()) co_return op_error(item.error());
    const auto& criteria = item.value().criteria;
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
          " acceptance criteria of " + item.value().id + " are not checked:" + open +
          "\nMeet each one, then tick it with check_criterion.");
    }
    co_return mcp::ToolResult::ok_json(json::object{
        {"story_id", item.value().id}, {"criteria_total", criteria.size()}, {"accepted", true}});
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
