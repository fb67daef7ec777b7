// Tools that look at the whole project: the items' health (validate_stories), one item or the
// pipeline at a glance (status), and every stage in full (get_pipeline_status). Read-only; the
// item files are read on the shared workers, the pool and the pipeline are awaited.
#include <map>

#include "base/offload.hpp"
#include "ops/item_json.hpp"
#include "ops/item_ops.hpp"
#include "pipeline/dependencies.hpp"
#include "tools/tool_groups.hpp"
#include "tools/tool_support.hpp"

namespace stork::tools {
namespace asio = boost::asio;
namespace {

using Handler = asio::awaitable<mcp::ToolResult>;

pipeline::ItemSnapshot snapshot_of(const WorkItem& item) {
  return pipeline::ItemSnapshot{item.id,
                                item.stage,
                                item.blocked(),
                                item.review_hold(),
                                item.merge_failure().has_value(),
                                item.depends_on(),
                                item.agent()};
}

json::object problem(const std::string& message, const std::filesystem::path& path = {},
                     int line = 0, const std::string& story = {}, const std::string& field = {}) {
  json::object entry{{"message", message}};
  if (!story.empty()) entry["story_id"] = story;
  if (!path.empty()) entry["path"] = path.string();
  if (line > 0) entry["line"] = line;
  if (!field.empty()) entry["field"] = field;
  return entry;
}

// Every problem the items have: unusable files (names, duplicate numbers, YAML errors), field
// values of the wrong type, depends_on entries that match no item, preferred agents that are
// not in the roster.
json::array item_problems(const StageStore::Listing& listing, const ProjectConfig* config) {
  json::array problems;
  for (const auto& error : listing.problems)
    problems.push_back(problem(error.render(), error.path, error.line));
  std::vector<pipeline::ItemSnapshot> snapshots;
  for (const auto& item : listing.items)
    snapshots.push_back(snapshot_of(item));
  for (const auto& item : listing.items) {
    const auto id = item.id.str();
    for (const auto& field : item.problems()) {
      problems.push_back(
          problem(item.path.string() + ":" + std::to_string(field.line) + ": " + field.message,
                  item.path, field.line, id, field.field));
    }
    for (const auto& dependency : item.depends_on()) {
      if (pipeline::dependency_state(dependency, snapshots) != pipeline::DependencyState::Unknown)
        continue;
      pipeline::UnknownDependency unknown{item.id, dependency};
      problems.push_back(problem(unknown.message(), item.path, item.document.line_of("depends_on"),
                                 id, "depends_on"));
    }
    if (auto agent = item.agent(); agent && config && config->find_agent(*agent) == nullptr) {
      problems.push_back(problem("story '" + id + "' prefers agent '" + *agent +
                                     "', which is not in project.toml; it will never be assigned",
                                 item.path, item.document.line_of("agent"), id, "agent"));
    }
  }
  return problems;
}

mcp::Tool validate_stories(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "validate_stories";
  tool.title = "Check every item file";
  tool.description =
      "Checks every work item file: names, duplicate numbers, YAML, field types, depends_on "
      "entries that match no item, preferred agents missing from the roster. Use it after "
      "editing item files by hand.";
  tool.input_schema = input_schema();
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [services](const json::object&, mcp::ToolContext&) -> Handler {
    auto read = [root = services.project_root] { return StageStore(root).load_all(); };
    auto listing = co_await offload(services.workers, read);
    auto config = services.config ? services.config() : nullptr;
    auto problems = item_problems(listing, config.get());
    const bool valid = problems.empty();
    co_return mcp::ToolResult::ok_json(json::object{{"valid", valid},
                                                    {"items_checked", listing.items.size()},
                                                    {"problems", std::move(problems)}});
  };
  return tool;
}

json::array active_runs_json(const std::vector<agents::AgentInfo>& runs) {
  json::array active;
  for (const auto& run : runs) {
    if (agents::is_active(run.status)) active.push_back(run_json(run));
  }
  return active;
}

asio::awaitable<mcp::ToolResult> item_status(const ToolServices& services, const std::string& id) {
  auto item = co_await services.items->show(id);
  if (!item.ok()) co_return op_error(item.error());
  auto answer = ops::item_summary_json(item.value());
  answer["criteria"] = ops::criteria_json(item.value());
  auto listing = services.pool->list_agents();
  auto runs = co_await std::move(listing);
  json::array item_runs;
  for (const auto& run : runs_of(runs, item.value().id))
    item_runs.push_back(run_json(run));
  answer["runs"] = std::move(item_runs);
  co_return mcp::ToolResult::ok_json(std::move(answer));
}

mcp::Tool status(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "status";
  tool.title = "Status of an item or the pipeline";
  tool.description =
      "With story_id: the item's stage, flags, acceptance criteria and its agent runs. Without: "
      "how many items each stage holds, the active agents and the merge queue.";
  auto id_param = story_id_param();
  id_param.required = false;
  tool.input_schema = input_schema({id_param});
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [services](const json::object& args, mcp::ToolContext&) -> Handler {
    if (auto id = optional_text(args, "story_id")) {
      auto answer = co_await item_status(services, *id);
      co_return answer;
    }
    auto read = [root = services.project_root] { return StageStore(root).load_all(); };
    auto listing = co_await offload(services.workers, read);
    json::object counts;
    for (Stage stage : kAllStages)
      counts[stage_name(stage)] = 0;
    std::size_t blocked = 0;
    for (const auto& item : listing.items) {
      counts[stage_name(item.stage)] = counts[stage_name(item.stage)].as_int64() + 1;
      if (item.blocked() || item.merge_failure()) ++blocked;
    }
    auto runs_listing = services.pool->list_agents();
    auto runs = co_await std::move(runs_listing);
    auto merge_query = services.pipeline->merge_status();
    auto merge = co_await std::move(merge_query);
    co_return mcp::ToolResult::ok_json(json::object{{"stages", std::move(counts)},
                                                    {"blocked_or_failed", blocked},
                                                    {"active_agents", active_runs_json(runs)},
                                                    {"merge", merge_status_json(merge)}});
  };
  return tool;
}

mcp::Tool get_pipeline_status(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "get_pipeline_status";
  tool.title = "The whole pipeline";
  tool.description =
      "Every stage with its items and their flags, the active agent runs, and the merge queue "
      "(running, queued, recent). Use it for an overview of all work.";
  tool.input_schema = input_schema();
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [services](const json::object&, mcp::ToolContext&) -> Handler {
    const std::optional<Stage> every;
    auto listing = co_await services.items->list(every, ops::ViewDepth::Summary);
    json::object stages;
    for (Stage stage : kAllStages)
      stages[stage_name(stage)] = json::array{};
    for (const auto& item : listing.items)
      stages[stage_name(item.stage)].as_array().push_back(ops::item_summary_json(item));
    json::array problems;
    for (const auto& error : listing.problems)
      problems.emplace_back(error.render());
    auto runs_listing = services.pool->list_agents();
    auto runs = co_await std::move(runs_listing);
    auto merge_query = services.pipeline->merge_status();
    auto merge = co_await std::move(merge_query);
    co_return mcp::ToolResult::ok_json(json::object{{"stages", std::move(stages)},
                                                    {"active_agents", active_runs_json(runs)},
                                                    {"merge", merge_status_json(merge)},
                                                    {"problems", std::move(problems)}});
  };
  return tool;
}

}  // namespace

void register_overview_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  registry.add(validate_stories(services));
  registry.add(status(services));
  registry.add(get_pipeline_status(services));
}

}  // namespace stork::tools
