#include "chat/command_runner.hpp"

#include <chrono>

#include "base/offload.hpp"
#include "chat/replies.hpp"
#include "ops/agent_ops.hpp"
#include "ops/item_ops.hpp"
#include "ops/message_ops.hpp"
#include "ops/permission_ops.hpp"
#include "ops/usage_report.hpp"
#include "state/run_store.hpp"

namespace stork::chat {
namespace asio = boost::asio;
using Kind = ChatCommand::Kind;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

using UsageRead = Result<ops::UsageReport, std::string>;

}  // namespace

asio::awaitable<ChatReply> CommandRunner::run(ChatCommand command, CommandOrigin origin) {
  switch (command.kind) {
    case Kind::Help:
      co_return help_reply();
    case Kind::Status:
      co_return co_await status();
    case Kind::Overview:
      co_return co_await overview();
    case Kind::Cost: {
      std::string grouping = command.text.empty() ? "item" : command.text;
      co_return co_await cost(grouping);
    }
    case Kind::Git:
      co_return co_await git();
    case Kind::Htop:
      co_return co_await htop();
    case Kind::Ambient:
      if (services_.set_ambient) {
        auto storing = services_.set_ambient(origin.room, command.on);
        co_await std::move(storing);
      }
      co_return ambient_reply(command.on);
    case Kind::Permit:
    case Kind::Deny:
      co_return co_await permission(command, origin);
    default:
      co_return co_await item_command(command);
  }
}

asio::awaitable<ChatReply> CommandRunner::status() {
  auto listing = co_await services_.items->list(std::nullopt, ops::ViewDepth::Summary);
  auto runs = co_await services_.items->services().pool->list_agents();
  co_return status_reply(listing, runs);
}

asio::awaitable<ChatReply> CommandRunner::overview() {
  auto listing = co_await services_.items->list(std::nullopt, ops::ViewDepth::Summary);
  co_return overview_reply(listing);
}

asio::awaitable<ChatReply> CommandRunner::cost(std::string grouping_text) {
  const auto grouping = ops::parse_usage_grouping(grouping_text).value_or(ops::UsageGrouping::Item);
  auto read = [root = services_.items->services().project_root, grouping]() -> UsageRead {
    auto store = state::StateStore::open(root);
    if (!store.ok()) return fail(store.error().message);
    auto records = store.value()->token_usage();
    if (!records.ok()) return fail(records.error().message);
    return ops::summarize_usage(records.value(), grouping);
  };
  auto report = co_await offload(services_.items->services().workers, read);
  if (!report.ok()) co_return failure_reply("Reading the usage", report.error());
  co_return cost_reply(report.value(), grouping);
}

asio::awaitable<ChatReply> CommandRunner::git() {
  auto read = [root = services_.items->services().project_root, base = services_.base_branch] {
    return read_git_summary(root, base);
  };
  auto summary = co_await offload(services_.items->services().workers, read);
  if (!summary.ok()) co_return failure_reply("git", summary.error());
  co_return git_reply(summary.value());
}

asio::awaitable<ChatReply> CommandRunner::htop() {
  auto runs = co_await services_.items->services().pool->list_agents();
  auto sample = [runs = std::move(runs)] {
    const auto processes = proc::read_processes();
    std::vector<AgentLoad> loads;
    for (const auto& run : runs) {
      if (!agents::is_active(run.status)) continue;
      AgentLoad load{run, {}, now_ms()};
      if (run.pid) load.load = proc::tree_load(processes, *run.pid);
      loads.push_back(std::move(load));
    }
    return loads;
  };
  auto loads = co_await offload(services_.items->services().workers, sample);
  co_return htop_reply(loads);
}

asio::awaitable<ChatReply> CommandRunner::item_command(const ChatCommand& command) {
  auto& items = *services_.items;
  ops::AgentOps agents(items);
  std::string story = command.story;
  if (command.kind == Kind::Start) {
    std::optional<std::string> agent;
    if (!command.agent.empty()) agent = command.agent;
    auto started = co_await agents.start(story, agent);
    co_return started.ok() ? started_reply(started.value()) : agent_error_reply(started.error());
  }
  if (command.kind == Kind::Reset) {
    auto reset = co_await agents.reset(story);
    co_return reset.ok() ? reset_reply(reset.value()) : agent_error_reply(reset.error());
  }
  if (command.kind == Kind::Say) {
    ops::MessageOps messages(items);
    auto saying = messages.say(story, std::nullopt, command.text);
    auto said = co_await std::move(saying);
    co_return said.ok() ? said_reply(said.value()) : agent_error_reply(said.error());
  }
  if (command.kind == Kind::Show) {
    auto shown = co_await items.show(story);
    co_return shown.ok() ? show_reply(shown.value(), services_.board_url)
                         : op_error_reply(shown.error());
  }
  ops::OpResult<ops::ItemView> done = fail(ops::OpError{});
  ChatReply (*render)(const ops::ItemView&) = nullptr;
  if (command.kind == Kind::Assign) {
    ops::UpdateRequest request;
    request.patch.agent = std::optional<std::string>(command.agent);
    done = co_await items.update(story, request);
    render = assigned_reply;
  } else if (command.kind == Kind::Unblock) {
    done = co_await items.unblock(story);
    render = unblocked_reply;
  } else if (command.kind == Kind::Approve) {
    done = co_await items.approve_qa(story);
    render = approved_reply;
  } else {
    std::string notes = command.text;
    done = co_await items.reject_qa(story, notes);
    render = rejected_reply;
  }
  co_return done.ok() ? render(done.value()) : op_error_reply(done.error());
}

asio::awaitable<ChatReply> CommandRunner::permission(const ChatCommand& command,
                                                     const CommandOrigin& origin) {
  if (!services_.permissions) co_return failure_reply(command_name(command.kind), "no permissions");
  std::string id = command.request_id;
  if (id.empty() && origin.replied_request) id = *origin.replied_request;
  if (id.empty()) {
    auto pending = co_await services_.permissions->pending();
    if (pending.size() != 1) co_return which_permission_reply(pending);
    id = pending.front().id;
  }
  ops::PermissionVerdict verdict;
  verdict.allow = command.kind == Kind::Permit;
  verdict.message = command.text;
  auto decided = co_await services_.permissions->decide(id, verdict);
  if (!decided.ok()) co_return op_error_reply(decided.error());
  co_return permission_reply(id, decided.value());
}

}  // namespace stork::chat
