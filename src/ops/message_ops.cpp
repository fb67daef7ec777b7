#include "ops/message_ops.hpp"

#include <algorithm>

#include "agents/agent_status.hpp"
#include "base/offload.hpp"
#include "base/utf8.hpp"
#include "state/run_store.hpp"

namespace stork::ops {
namespace asio = boost::asio;
namespace {

bool blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

OpError run_error(OpError::Kind kind, std::string message) {
  OpError error(kind, std::move(message));
  error.field = "run";
  return error;
}

}  // namespace

std::optional<OpError> check_message_text(const std::string& text) {
  if (blank(text)) return invalid_input("text", "the message is empty");
  if (text.size() > MessageOps::kMaxTextBytes) {
    return invalid_input("text", "the message has " + std::to_string(text.size()) +
                                     " bytes; at most " +
                                     std::to_string(MessageOps::kMaxTextBytes) + " are allowed");
  }
  if (auto bad = find_invalid_utf8(text); bad != std::string::npos)
    return invalid_input("text", "the message is not UTF-8 (byte " + std::to_string(bad) + ")");
  return std::nullopt;
}

asio::awaitable<AgentOpResult<MessageReceipt>> MessageOps::say_to_run(std::int64_t run_id,
                                                                      std::string text) {
  if (auto bad = check_message_text(text)) co_return fail(AgentOpError{*bad});
  auto runs = co_await items_.services().pool->list_agents();
  for (const auto& run : runs) {
    if (run.run_id != run_id) continue;
    if (!agents::is_active(run.status)) {
      co_return fail(AgentOpError{run_error(OpError::Kind::Conflict,
                                            "run " + std::to_string(run_id) + " is over (" +
                                                std::string(agents::to_string(run.status)) + ")")});
    }
    co_return co_await deliver(run.story_id, run.agent_name, std::move(text));
  }
  // Not the latest run of any agent: an older run, or none at all.
  const auto root = items_.services().project_root;
  auto lookup = [root, run_id]() -> std::optional<state::RunRecord> {
    auto store = state::StateStore::open(root);
    if (!store.ok()) return std::nullopt;
    auto found = store.value()->run(run_id);
    return found.ok() ? found.value() : std::nullopt;
  };
  auto record = co_await offload(items_.services().workers, lookup);
  if (!record) {
    co_return fail(
        AgentOpError{run_error(OpError::Kind::NotFound, "no run " + std::to_string(run_id))});
  }
  co_return fail(AgentOpError{
      run_error(OpError::Kind::Conflict, "run " + std::to_string(run_id) + " of " + record->agent +
                                             " on " + record->story + " is over")});
}

asio::awaitable<AgentOpResult<MessageReceipt>> MessageOps::say(std::string story,
                                                               std::optional<std::string> agent,
                                                               std::string text) {
  if (auto bad = check_message_text(text)) co_return fail(AgentOpError{*bad});
  auto id = co_await items_.resolve(story);
  if (!id.ok()) co_return fail(AgentOpError{id.error()});
  if (agent) {
    co_return co_await deliver(id.value(), *agent, std::move(text));
  }
  std::vector<std::string> live;
  auto runs = co_await items_.services().pool->list_agents();
  for (const auto& run : runs) {
    if (run.story_id == id.value() && agents::is_active(run.status)) live.push_back(run.agent_name);
  }
  if (live.size() == 1) {
    co_return co_await deliver(id.value(), live.front(), std::move(text));
  }
  OpError error(live.empty() ? OpError::Kind::NotFound : OpError::Kind::Conflict,
                live.empty() ? "no agent is running on " + id.value()
                             : std::to_string(live.size()) + " agents are running on " +
                                   id.value() + "; name one");
  error.field = "agent";
  error.story = id.value();
  co_return fail(AgentOpError{std::move(error)});
}

asio::awaitable<AgentOpResult<MessageReceipt>> MessageOps::deliver(std::string story,
                                                                   std::string agent,
                                                                   std::string text) {
  auto said = co_await items_.services().pool->say(story, agent, std::move(text));
  if (!said.ok()) co_return fail(AgentOpError{said.error()});
  const auto& delivery = said.value();
  co_return MessageReceipt{delivery.story_id, delivery.agent_name, delivery.run_id, delivery.live,
                           delivery.queued_reason};
}

}  // namespace stork::ops
