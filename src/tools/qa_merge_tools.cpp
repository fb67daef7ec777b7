// Tools for the QA and merge stages: QA decisions, queuing merges, the merge queue's state and
// a mergemaster's failure report. Each is one pipeline operation; the answer is the item as it
// is afterwards, with a sentence on what happens next.
#include <boost/asio/awaitable.hpp>

#include "ops/item_json.hpp"
#include "ops/item_ops.hpp"
#include "tools/tool_groups.hpp"
#include "tools/tool_support.hpp"

namespace stork::tools {
namespace asio = boost::asio;
namespace {

using Handler = asio::awaitable<mcp::ToolResult>;
// One item operation on the item `id` (as given), with the tool's arguments.
using ItemOperation = std::function<asio::awaitable<ops::OpResult<ops::ItemView>>(
    ops::ItemOps&, const std::string& id, const json::object& args)>;

struct ItemToolSpec {
  std::string name, title, description;
  std::optional<Param> extra;  // a second argument besides story_id
  bool destructive = false;
  std::string next;  // appended to the answer as `message`
};

mcp::Tool item_operation_tool(const ToolServices& services, ItemToolSpec spec,
                              ItemOperation operation) {
  mcp::Tool tool;
  tool.name = spec.name;
  tool.title = spec.title;
  tool.description = spec.description;
  tool.input_schema =
      spec.extra ? input_schema({story_id_param(), *spec.extra}) : input_schema({story_id_param()});
  tool.destructive = spec.destructive;
  tool.handler = [items = services.items, operation = std::move(operation), next = spec.next](
                     const json::object& args, mcp::ToolContext&) -> Handler {
    const auto id = text_arg(args, "story_id");
    auto running = operation(*items, id, args);
    auto done = co_await std::move(running);
    if (!done.ok()) co_return op_error(done.error());
    json::object answer = ops::item_summary_json(done.value());
    answer["message"] = next;
    co_return mcp::ToolResult::ok_json(std::move(answer));
  };
  return tool;
}

Param notes_param(std::string name, std::string_view description) {
  return Param{std::move(name), text_schema(description, 20000), true};
}

void register_qa_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  registry.add(item_operation_tool(
      services,
      {"request_qa", "Send an item to QA",
       "Moves an item from 2_current to 3_qa for review; with QA mode agent a QA agent is "
       "started, otherwise a person reviews it.",
       std::nullopt, false, "In 3_qa: approve_qa or reject_qa decides"},
      [](ops::ItemOps& items, const std::string& id, const json::object&) {
        return items.request_qa(id);
      }));
  registry.add(item_operation_tool(
      services,
      {"approve_qa", "Approve an item in QA",
       "Approves the item in 3_qa: it moves to 4_merge and its merge is queued. Spikes never "
       "merge.",
       std::nullopt, false, "Approved; the merge is queued (get_merge_status shows it)"},
      [](ops::ItemOps& items, const std::string& id, const json::object&) {
        return items.approve_qa(id);
      }));
  registry.add(item_operation_tool(
      services,
      {"reject_qa", "Reject an item in QA",
       "Rejects the item in 3_qa: the notes are written into it (## QA Notes) and it goes back "
       "to 2_current, where a coder picks it up with the notes.",
       notes_param("notes", "What the coder must change"), false,
       "Rejected; back in 2_current with the notes"},
      [](ops::ItemOps& items, const std::string& id, const json::object& args) {
        return items.reject_qa(id, text_arg(args, "notes"));
      }));
}

// merge() answers a queue position, not void: its own tool.
mcp::Tool merge_agent_work(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "merge_agent_work";
  tool.title = "Queue the item's merge";
  tool.description =
      "Queues the merge of the item's feature branch into the base branch (moving it to 4_merge "
      "first when that is legal) and clears a previous merge_failure. The merge runs in the "
      "background, one at a time: squash, gate, advance the base, verify. Follow it with "
      "get_merge_status.";
  tool.input_schema = input_schema({story_id_param()});
  tool.idempotent = true;
  tool.handler = [items = services.items](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto id = text_arg(args, "story_id");
    auto queued = co_await items->merge(id);
    if (!queued.ok()) co_return op_error(queued.error());
    const auto position = queued.value().position;
    co_return mcp::ToolResult::ok_json(json::object{
        {"story_id", queued.value().story},
        {"queue_position", position},
        {"message",
         (position == 0 ? std::string("The merge is next or running")
                        : "The merge is queued at position " + std::to_string(position)) +
             "; get_merge_status shows its progress"}});
  };
  return tool;
}

mcp::Tool get_merge_status(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "get_merge_status";
  tool.title = "The merge queue";
  tool.description =
      "The merge running now (item, step: squashing, gating, advancing, finishing), the items "
      "queued in order, and the latest finished merges with their outcome.";
  tool.input_schema = input_schema();
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [pipeline = services.pipeline](const json::object&, mcp::ToolContext&) -> Handler {
    auto query = pipeline->merge_status();
    auto status = co_await std::move(query);
    co_return mcp::ToolResult::ok_json(merge_status_json(status));
  };
  return tool;
}

void register_merge_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  registry.add(item_operation_tool(
      services,
      {"move_story_to_merge", "Move an item to merge",
       "Moves the item to 4_merge (from 2_current or 3_qa) and queues its merge.", std::nullopt,
       false, "In 4_merge; the merge is queued (get_merge_status shows it)"},
      [](ops::ItemOps& items, const std::string& id,
         const json::object&) -> asio::awaitable<ops::OpResult<ops::ItemView>> {
        const Stage merge = Stage::Merge;
        auto moved = co_await items.move(id, merge);
        if (!moved.ok()) co_return fail(moved.error());
        auto item = co_await items.show(moved.value().story);
        co_return item;
      }));
  registry.add(merge_agent_work(services));
  registry.add(get_merge_status(services));
  registry.add(item_operation_tool(
      services,
      {"report_merge_failure", "Report a failed merge",
       "A mergemaster that cannot merge the item says why: the reason goes into the item "
       "(merge_failure), which keeps it out of the merge queue until merge_agent_work or "
       "unblock.",
       notes_param("reason", "Why the merge cannot be done"), false,
       "Recorded; a person or merge_agent_work takes it from here"},
      [](ops::ItemOps& items, const std::string& id, const json::object& args) {
        return items.report_merge_failure(id, text_arg(args, "reason"));
      }));
}

}  // namespace

void register_qa_merge_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  register_qa_tools(registry, services);
  register_merge_tools(registry, services);
}

}  // namespace stork::tools
