// AgentPool::chat: the project chat's messages as runs of the pool (docs/project-chat.md). A
// message reaches the live run of the conversation when its runtime can take it; otherwise one
// strand step registers a new run, story "chat-<id>", and starts it in the project root (no
// worktree, no item, no pipeline completion), with the agent confined by chat_agent_config and
// stork's MCP server named in a configuration file next to the run's logs.
#include <boost/json.hpp>

#include "agents/chat_agent.hpp"
#include "agents/pool_errors.hpp"
#include "agents/pool_impl.hpp"
#include "agents/runtime/event_translation.hpp"
#include "base/file_io.hpp"
#include "base/strand_call.hpp"
#include "git/worktree_mcp_config.hpp"

namespace stork::agents {
namespace {

RuntimeEvent chat_message_event(const std::string& text) {
  boost::json::object payload{{"text", text}, {"delivery", "live"}};
  return RuntimeEvent{"message", boost::json::serialize(payload), {}, {}, {}, {}, false, {}};
}

PoolError chat_starting(const std::string& key, const std::string& agent) {
  PoolError error;
  error.kind = PoolError::Kind::Conflict;
  error.story = key;
  error.agent = agent;
  error.message = "the agent of " + key + " is still starting; send the message once it answers";
  return error;
}

}  // namespace

boost::asio::awaitable<PoolResult<ChatDelivery>> AgentPool::chat(ChatTurn turn) {
  return call_on<PoolResult<ChatDelivery>>(
      impl_->strand, [impl = impl_, turn = std::move(turn)](Done<PoolResult<ChatDelivery>> done) {
        done(impl->chat(turn));
      });
}

PoolResult<ChatDelivery> AgentPool::Impl::chat(const ChatTurn& turn) {
  if (shutting_down_) return fail(pool_errors::shutting_down());
  auto found = entries_.find({turn.key, turn.agent});
  if (found != entries_.end() && is_active(found->second->info.status) && !turn.fresh) {
    RunEntry& entry = *found->second;
    if (entry.run && entry.info.status != AgentStatus::Blocked &&
        entry.run->send_message(turn.text)) {
      std::vector<RuntimeEvent> events{chat_message_event(turn.text)};
      emit(entry, events);
      return ChatDelivery{entry.info, true};
    }
    if (entry.info.status == AgentStatus::Pending) return fail(chat_starting(turn.key, turn.agent));
  }
  // A turn whose answer is in (its stdin closed) ends by itself; a fresh start ends it now.
  if (turn.fresh && found != entries_.end() && found->second->run &&
      is_active(found->second->info.status)) {
    found->second->stop_requested = true;
    found->second->run->stop();
  }
  auto registered = register_chat_run(turn);
  if (!registered.ok()) return fail(std::move(registered).take_error());
  return ChatDelivery{registered.value(), false};
}

PoolResult<AgentInfo> AgentPool::Impl::register_chat_run(const ChatTurn& turn) {
  const AgentConfig* configured = config_->find_agent(turn.agent);
  if (configured == nullptr) return fail(pool_errors::unknown_agent({turn.agent, {}}));
  // The run's own roster: the same project with this agent confined for the chat.
  auto config = std::make_shared<ProjectConfig>(*config_);
  for (auto& agent : config->agents) {
    if (agent.name == turn.agent) agent = chat_agent_config(agent);
  }
  auto entry = std::make_shared<RunEntry>();
  entry->config = config;
  entry->resume_session = !turn.fresh;
  entry->chat_prompt = turn.text;
  AgentInfo& info = entry->info;
  info.story_id = turn.key;
  info.agent_name = turn.agent;
  info.runtime = configured->runtime;
  info.model = model_of(*configured, *config);
  info.started_at_ms = now_ms();
  state::NewRun new_run{info.story_id, info.agent_name, info.model,
                        info.runtime,  std::nullopt,    std::nullopt};
  auto created = state_->create_run(new_run, info.started_at_ms);
  if (!created.ok()) {
    return fail(pool_errors::state("cannot record the run: " + created.error().message));
  }
  info.run_id = created.value();
  auto& slot = entries_[{info.story_id, info.agent_name}];
  if (slot) wake(*slot);
  slot = entry;
  std::vector<RuntimeEvent> events{status_event("pending")};
  emit(*entry, events);
  start_process(entry, options_.project_root);
  return entry->info;
}

std::filesystem::path AgentPool::Impl::write_chat_mcp_config(RunEntry& entry) {
  const auto dir = options_.project_root / ".storkit" / "logs" / entry.info.story_id;
  auto path = dir / "mcp.json";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string text = merged_mcp_config("", worktree_settings_.mcp_url,
                                             worktree_settings_.mcp_token, /*caller_headers=*/true);
  if (auto written = write_file_atomic(path, text); !written) {
    note_state_error(entry, "cannot write " + path.string() + ": " + written.error().message);
    return {};
  }
  return path;
}

}  // namespace stork::agents
