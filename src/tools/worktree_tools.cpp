// Tools on the items' git worktrees (.storkit/worktrees/<id> on feature/story-<id>): create,
// list, remove. Creating and removing are the agent pool's operations (create_worktree_for,
// remove_worktree_for): the pool checks its runs and changes the worktree as one step, on the
// same git lane as its own preparations, so a tool never races a starting run. Listing only
// reads, on the shared workers.
#include "agents/agent_pool.hpp"
#include "base/offload.hpp"
#include "git/git_repo.hpp"
#include "git/worktree_manager.hpp"
#include "tools/tool_groups.hpp"
#include "tools/tool_support.hpp"

namespace stork::tools {
namespace asio = boost::asio;
namespace {

using Handler = asio::awaitable<mcp::ToolResult>;

WorktreeManager manager_for(const ToolServices& services) {
  WorktreeSettings settings;
  settings.project_root = services.project_root;
  settings.base_branch = services.base_branch;
  settings.mcp_url = services.mcp_url;
  settings.mcp_token = services.mcp_token;
  if (auto config = services.config ? services.config() : nullptr)
    settings.components = config->components;
  return WorktreeManager(std::move(settings));
}

json::object worktree_json(const WorktreeInfo& info) {
  return json::object{{"story_id", info.story.str()},
                      {"path", info.path.string()},
                      {"branch", info.branch},
                      {"head", info.head}};
}

// The commits ("abc1234 subject") of a merge-failed item's branch that its base lacks: what
// removing its worktree would lose. Empty when the item's merge did not fail or nothing is
// unmerged (a merged item's squashed commits are not counted: its merge did not fail).
std::vector<std::string> unmerged_after_failure(const ToolServices& services,
                                                const StoryId& story) {
  auto item = StageStore(services.project_root).load(story.str());
  if (!item.ok() || !item.value().merge_failure()) return {};
  auto repo = GitRepo::open(services.project_root);
  if (!repo.ok()) return {};
  auto log =
      repo.value().run({"log", "--format=%h %s",
                        services.base_branch + ".." + WorktreeManager::branch_name(story), "--"});
  std::vector<std::string> commits;
  if (!log.ok()) return commits;
  std::size_t start = 0;
  const std::string& text = log.value();
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) commits.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return commits;
}

json::array steps_json(const std::vector<StepOutput>& steps) {
  json::array array;
  for (const auto& step : steps) {
    array.push_back(json::object{{"component", step.component},
                                 {"command", step.command},
                                 {"exit_code", step.exit_code},
                                 {"output", step.output}});
  }
  return array;
}

json::array texts(const std::vector<std::string>& values) {
  json::array array;
  for (const auto& value : values)
    array.emplace_back(value);
  return array;
}

mcp::ToolResult created_answer(const CreatedWorktree& worktree) {
  auto answer = worktree_json(worktree.info);
  answer["reused"] = worktree.reused;
  answer["copied_files"] = texts(worktree.copied_files);
  answer["skipped_files"] = texts(worktree.skipped_files);
  answer["setup_steps"] = steps_json(worktree.setup_steps);
  return mcp::ToolResult::ok_json(std::move(answer));
}

mcp::Tool create_worktree(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "create_worktree";
  tool.title = "Create an item's worktree";
  tool.description =
      "Creates (or reuses) the item's git worktree on branch feature/story-<id> from the base "
      "branch, writes its .mcp.json, copies .worktreeinclude files and runs each component's "
      "setup. start_agent does this by itself; use it to prepare a worktree by hand.";
  tool.input_schema = input_schema({story_id_param()});
  tool.idempotent = true;
  tool.handler = [services](const json::object& args, mcp::ToolContext&) -> Handler {
    auto entry = locate_story(services.project_root, text_arg(args, "story_id"));
    if (!entry.ok()) co_return mcp::ToolResult::error(entry.error());
    auto creating = services.pool->create_worktree_for(entry.value().id.str());
    auto created = co_await std::move(creating);
    if (!created.ok()) co_return pool_error(created.error());
    co_return created_answer(created.value());
  };
  return tool;
}

mcp::Tool list_worktrees(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "list_worktrees";
  tool.title = "Worktrees";
  tool.description =
      "Lists stork's worktrees (under .storkit/worktrees/): item, path, branch and head commit.";
  tool.input_schema = input_schema();
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [services](const json::object&, mcp::ToolContext&) -> Handler {
    auto list = [manager = manager_for(services)] { return manager.list(); };
    auto listed = co_await offload(services.workers, list);
    if (!listed.ok()) co_return mcp::ToolResult::error(listed.error().message);
    json::array worktrees;
    for (const auto& info : listed.value())
      worktrees.push_back(worktree_json(info));
    co_return mcp::ToolResult::ok_json(json::object{{"worktrees", std::move(worktrees)}});
  };
  return tool;
}

// The item a worktree belongs to. A worktree may outlive its item (archived and swept, or
// deleted by hand), so a full id that parses is enough; a bare number must name an item.
Result<StoryId, std::string> worktree_story(const std::filesystem::path& root,
                                            const std::string& id) {
  auto entry = locate_story(root, id);
  if (entry.ok()) return entry.value().id;
  if (auto parsed = parse_story_id(id)) return std::move(*parsed);
  return fail(entry.error());
}

mcp::Tool remove_worktree(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "remove_worktree";
  tool.title = "Remove an item's worktree";
  tool.description =
      "Runs each component's teardown, removes the item's worktree and deletes its feature "
      "branch (commits not merged are lost). Refused while an agent works on the item: "
      "stop_agent first.";
  tool.input_schema = input_schema(
      {story_id_param(),
       {"force", boolean_schema("Remove even when a merge failed and the branch has commits "
                                "the base does not (they are lost)")}});
  tool.destructive = true;
  tool.idempotent = true;
  tool.handler = [services](const json::object& args, mcp::ToolContext&) -> Handler {
    auto story = worktree_story(services.project_root, text_arg(args, "story_id"));
    if (!story.ok()) co_return mcp::ToolResult::error(story.error());
    const auto id = story.value().str();
    if (!optional_bool(args, "force").value_or(false)) {
      auto find = [services, story = story.value()] {
        return unmerged_after_failure(services, story);
      };
      const auto unmerged = co_await offload(services.workers, find);
      if (!unmerged.empty()) {
        std::string list;
        for (const auto& commit : unmerged)
          list += "\n- " + commit;
        co_return mcp::ToolResult::error(
            "Refused: " + id + "'s merge failed and its branch has " +
            std::to_string(unmerged.size()) + " commit(s) the base does not have:" + list +
            "\nRemoving the worktree deletes them. Merge (merge_agent_work) or pass force: true.");
      }
    }
    auto removing = services.pool->remove_worktree_for(id);
    auto removed = co_await std::move(removing);
    if (!removed.ok()) co_return pool_error(removed.error());
    co_return mcp::ToolResult::ok_json(json::object{
        {"story_id", id}, {"removed", true}, {"teardown_steps", steps_json(removed.value())}});
  };
  return tool;
}

}  // namespace

void register_worktree_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  registry.add(create_worktree(services));
  registry.add(list_worktrees(services));
  registry.add(remove_worktree(services));
}

}  // namespace stork::tools
