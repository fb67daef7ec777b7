// Tools on the items' git worktrees (.storkit/worktrees/<id> on feature/story-<id>): create,
// list, remove. WorktreeManager is synchronous and slow (checkout, component setup), so it runs
// on the shared workers, one operation at a time (git locks the repository's config and refs).
//
// The agent pool prepares worktrees too, on its own git lane. The pool offers no operation that
// checks its runs and changes a worktree as one step, so these tools check before and after:
// a run that started in between is reported instead of being raced silently. MERGE(issue 14):
// once AgentPool::create_worktree / remove_worktree exist, call them instead (see the report).
#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "agents/agent_pool.hpp"
#include "base/offload.hpp"
#include "git/worktree_manager.hpp"
#include "tools/tool_groups.hpp"
#include "tools/tool_support.hpp"

namespace stork::tools {
namespace asio = boost::asio;
namespace {

using Handler = asio::awaitable<mcp::ToolResult>;

// The tools' worktree operations take turns: one at a time, in the order they asked. An
// asynchronous lock (the mutex only guards the queue): a waiting operation holds no thread,
// and the lane holds no executor (a strand of the workers would outlive their pool inside the
// registry's handlers, which the io_context may keep until it is destroyed).
class Lane : public std::enable_shared_from_this<Lane> {
 public:
  // Held while it is the operation's turn; destroying it lets the next one in.
  class Turn {
   public:
    Turn() = default;
    explicit Turn(std::shared_ptr<Lane> lane) : lane_(std::move(lane)) {}
    Turn(Turn&&) noexcept = default;
    Turn& operator=(Turn&&) noexcept = default;
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    ~Turn() {
      if (lane_) lane_->leave();
    }

   private:
    std::shared_ptr<Lane> lane_;
  };

  // Completes, on the caller's executor, when it is the caller's turn.
  asio::awaitable<Turn> enter() {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(Turn)>(
        [weak = weak_from_this()](auto handler) {
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          std::function<void()> resume = [weak, shared] {
            auto resume_on = asio::get_associated_executor(*shared);
            asio::post(resume_on,
                       [weak, shared]() mutable { std::move (*shared)(Turn(weak.lock())); });
          };
          if (auto self = weak.lock(); self && self->queue(resume)) return;
          resume();
        },
        asio::use_awaitable);
  }

 private:
  // True when `resume` waits for an earlier turn; false when the lane was free (now taken).
  bool queue(std::function<void()>& resume) {
    std::lock_guard lock(mutex_);
    if (!busy_) {
      busy_ = true;
      return false;
    }
    waiting_.push_back(std::move(resume));
    return true;
  }
  void leave() {
    std::function<void()> next;
    {
      std::lock_guard lock(mutex_);
      if (waiting_.empty()) {
        busy_ = false;
        return;
      }
      next = std::move(waiting_.front());
      waiting_.pop_front();
    }
    next();
  }

  std::mutex mutex_;
  bool busy_ = false;
  std::deque<std::function<void()>> waiting_;
};
using LanePtr = std::shared_ptr<Lane>;

// Runs `work` on the shared workers in its turn on `lane`. (References: the caller's named
// objects outlive the call, and no temporary spans a co_await; GCC 12.)
template <class F>
asio::awaitable<std::invoke_result_t<F>> in_turn(const LanePtr& lane,
                                                 const asio::any_io_executor& workers,
                                                 const F& work) {
  auto entering = lane->enter();
  auto turn = co_await std::move(entering);
  auto result = co_await offload(workers, work);
  co_return result;
}

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

// The active run of `story` in `after` that `before` did not have (a new run, or one that
// became active), if any.
std::optional<agents::AgentInfo> run_started_meanwhile(const std::vector<agents::AgentInfo>& before,
                                                       const std::vector<agents::AgentInfo>& after,
                                                       const std::string& story) {
  for (const auto& run : runs_of(after, story)) {
    if (!agents::is_active(run.status)) continue;
    const bool known = std::any_of(before.begin(), before.end(), [&](const agents::AgentInfo& old) {
      return old.run_id == run.run_id && agents::is_active(old.status);
    });
    if (!known) return run;
  }
  return std::nullopt;
}

mcp::ToolResult created_answer(const CreatedWorktree& worktree) {
  auto answer = worktree_json(worktree.info);
  answer["reused"] = worktree.reused;
  answer["copied_files"] = texts(worktree.copied_files);
  answer["skipped_files"] = texts(worktree.skipped_files);
  answer["setup_steps"] = steps_json(worktree.setup_steps);
  return mcp::ToolResult::ok_json(std::move(answer));
}

mcp::Tool create_worktree(const ToolServices& services, const LanePtr& lane) {
  mcp::Tool tool;
  tool.name = "create_worktree";
  tool.title = "Create an item's worktree";
  tool.description =
      "Creates (or reuses) the item's git worktree on branch feature/story-<id> from the base "
      "branch, writes its .mcp.json, copies .worktreeinclude files and runs each component's "
      "setup. start_agent does this by itself; use it to prepare a worktree by hand.";
  tool.input_schema = input_schema({story_id_param()});
  tool.idempotent = true;
  tool.handler = [services, lane](const json::object& args, mcp::ToolContext&) -> Handler {
    auto entry = locate_story(services.project_root, text_arg(args, "story_id"));
    if (!entry.ok()) co_return mcp::ToolResult::error(entry.error());
    const auto id = entry.value().id.str();
    // WorktreeManager must not prepare one worktree twice at once; the pool is doing it while
    // a run is pending.
    auto listing = services.pool->list_agents();
    const auto before = co_await std::move(listing);
    for (const auto& run : runs_of(before, id)) {
      if (run.status == agents::AgentStatus::Pending) {
        co_return mcp::ToolResult::error(run.agent_name + " is starting on " + run.story_id +
                                         " and is preparing this worktree; try again shortly");
      }
    }
    auto create = [manager = manager_for(services), story = entry.value().id] {
      return manager.create(story);
    };
    auto created = co_await in_turn(lane, services.workers, create);
    auto relisting = services.pool->list_agents();
    const auto after = co_await std::move(relisting);
    if (auto started = run_started_meanwhile(before, after, id); started && !created.ok()) {
      co_return mcp::ToolResult::error(
          started->agent_name + " started on " + id + " while this worktree was being created " +
          "and prepares it itself (" + created.error().message +
          "); wait for its run (list_agents) instead of creating the worktree by hand");
    }
    if (!created.ok()) co_return mcp::ToolResult::error(created.error().message);
    co_return created_answer(created.value());
  };
  return tool;
}

mcp::Tool list_worktrees(const ToolServices& services, const LanePtr& lane) {
  mcp::Tool tool;
  tool.name = "list_worktrees";
  tool.title = "Worktrees";
  tool.description =
      "Lists stork's worktrees (under .storkit/worktrees/): item, path, branch and head commit.";
  tool.input_schema = input_schema();
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [services, lane](const json::object&, mcp::ToolContext&) -> Handler {
    auto list = [manager = manager_for(services)] { return manager.list(); };
    auto listed = co_await in_turn(lane, services.workers, list);
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

mcp::Tool remove_worktree(const ToolServices& services, const LanePtr& lane) {
  mcp::Tool tool;
  tool.name = "remove_worktree";
  tool.title = "Remove an item's worktree";
  tool.description =
      "Runs each component's teardown, removes the item's worktree and deletes its feature "
      "branch (commits not merged are lost). Refused while an agent works on the item: "
      "stop_agent first.";
  tool.input_schema = input_schema({story_id_param()});
  tool.destructive = true;
  tool.idempotent = true;
  tool.handler = [services, lane](const json::object& args, mcp::ToolContext&) -> Handler {
    auto story = worktree_story(services.project_root, text_arg(args, "story_id"));
    if (!story.ok()) co_return mcp::ToolResult::error(story.error());
    const auto id = story.value().str();
    auto listing = services.pool->list_agents();
    const auto before = co_await std::move(listing);
    for (const auto& run : runs_of(before, id)) {
      if (agents::is_active(run.status)) {
        co_return mcp::ToolResult::error(run.agent_name + " is " +
                                         std::string(agents::to_string(run.status)) + " on " + id +
                                         ": stop_agent first, then remove the worktree");
      }
    }
    auto remove = [manager = manager_for(services), story = story.value()] {
      return manager.remove(story);
    };
    auto removed = co_await in_turn(lane, services.workers, remove);
    auto relisting = services.pool->list_agents();
    const auto after = co_await std::move(relisting);
    if (auto started = run_started_meanwhile(before, after, id)) {
      co_return mcp::ToolResult::error(
          started->agent_name + " started on " + id + " while its worktree was being removed" +
          (removed.ok() ? "" : " (" + removed.error().message + ")") +
          ": its run may have lost the worktree; stop_agent, then start it again");
    }
    if (!removed.ok()) co_return mcp::ToolResult::error(removed.error().message);
    co_return mcp::ToolResult::ok_json(json::object{
        {"story_id", id}, {"removed", true}, {"teardown_steps", steps_json(removed.value())}});
  };
  return tool;
}

}  // namespace

void register_worktree_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  const auto lane = std::make_shared<Lane>();
  registry.add(create_worktree(services, lane));
  registry.add(list_worktrees(services, lane));
  registry.add(remove_worktree(services, lane));
}

}  // namespace stork::tools
