#include "ops/chat_ops.hpp"

#include <algorithm>
#include <chrono>

#include <boost/json.hpp>

#include "agents/agent_event.hpp"
#include "agents/agent_pool.hpp"
#include "base/offload.hpp"
#include "base/utf8.hpp"
#include "config/chat_agent_loader.hpp"
#include "ops/message_ops.hpp"
#include "state/run_store.hpp"

namespace stork::ops {
namespace asio = boost::asio;
namespace {

constexpr std::size_t kTitleBytes = 80;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
constexpr std::size_t kListLimit = 200;

OpError conversation_not_found(std::int64_t id) {
  OpError error(OpError::Kind::NotFound, "no conversation " + std::to_string(id));
  error.field = "conversation";
  return error;
}

OpError agent_conflict(std::string message) {
  OpError error(OpError::Kind::Conflict, std::move(message));
  error.field = "agent";
  return error;
}

// The first line of the message, cut at a character boundary.
std::string title_of(const std::string& text) {
  std::string title = text.substr(0, text.find('\n'));
  if (title.size() > kTitleBytes) {
    std::size_t cut = kTitleBytes;
    while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0U) == 0x80U)
      --cut;
    title = title.substr(0, cut) + "…";
  }
  return title;
}

// What the person's message became in state.db before the agent hears of it.
struct Recorded {
  state::ChatConversation conversation;
  state::ChatMessage message;
  bool first = false;  // the conversation's first message
};

// `[chat] agent` of the project.toml in force; none is a Conflict naming the setting.
OpResult<std::string> chat_agent_of(const std::filesystem::path& root) {
  auto agent = load_chat_agent(root / ".storkit" / "project.toml");
  if (!agent.ok()) return fail(OpError(OpError::Kind::Failed, render_all(agent.error())));
  if (!agent.value() || agent.value()->empty()) {
    return fail(agent_conflict(
        "the project has no chat agent: set [chat] agent = \"NAME\" in .storkit/project.toml"));
  }
  return *agent.value();
}

OpResult<Recorded> record_message(const std::filesystem::path& root, const ChatSend& send,
                                  const std::string& agent) {
  auto store = state::ProjectChatStore::open(root);
  if (!store.ok()) return fail(OpError(OpError::Kind::Failed, store.error().message));
  Recorded recorded;
  if (send.conversation) {
    auto found = store.value()->conversation(*send.conversation);
    if (!found.ok()) return fail(OpError(OpError::Kind::Failed, found.error().message));
    if (!found.value()) return fail(conversation_not_found(*send.conversation));
    recorded.conversation = *found.value();
  } else {
    auto created = store.value()->create_conversation(agent, title_of(send.text), wall_ms());
    if (!created.ok()) return fail(OpError(OpError::Kind::Failed, created.error().message));
    recorded.conversation = created.value();
    recorded.first = true;
  }
  auto message = store.value()->add_message(recorded.conversation.id, send.text, wall_ms());
  if (!message.ok()) return fail(OpError(OpError::Kind::Failed, message.error().message));
  recorded.message = message.value();
  return recorded;
}

std::optional<std::string> text_of(const std::string& payload) {
  std::error_code ec;
  auto parsed = boost::json::parse(payload, ec);
  const auto* object = ec ? nullptr : parsed.if_object();
  const auto* text = object != nullptr ? object->if_contains("text") : nullptr;
  if (text == nullptr || !text->is_string()) return std::nullopt;
  return std::string(text->get_string());
}

OpResult<ChatView> read_view(const std::filesystem::path& root, std::int64_t id) {
  auto chats = state::ProjectChatStore::open(root);
  if (!chats.ok()) return fail(OpError(OpError::Kind::Failed, chats.error().message));
  auto found = chats.value()->conversation(id);
  if (!found.ok()) return fail(OpError(OpError::Kind::Failed, found.error().message));
  if (!found.value()) return fail(conversation_not_found(id));
  ChatView view;
  view.conversation = *found.value();
  auto messages = chats.value()->messages(id);
  if (!messages.ok()) return fail(OpError(OpError::Kind::Failed, messages.error().message));
  for (const auto& message : messages.value())
    view.lines.push_back({"person", message.text, message.time_ms, message.run_id});
  auto runs_store = state::StateStore::open(root);
  if (!runs_store.ok()) return fail(OpError(OpError::Kind::Failed, runs_store.error().message));
  auto& store = *runs_store.value();
  const std::string story = state::chat_story(id);
  auto runs = store.runs(story);
  if (!runs.ok()) return fail(OpError(OpError::Kind::Failed, runs.error().message));
  auto records = runs.value();
  std::reverse(records.begin(), records.end());  // oldest first
  for (const auto& run : records) {
    view.runs.push_back(run);
    auto events = store.events_after(run.id, 0);
    if (!events.ok()) return fail(OpError(OpError::Kind::Failed, events.error().message));
    for (const auto& event : events.value()) {
      view.events.push_back(event);
      if (event.type != agents::event_type::kAssistantText) continue;
      if (auto text = text_of(event.payload))
        view.lines.push_back({"agent", *text, event.time_ms, event.run_id});
    }
  }
  std::stable_sort(view.lines.begin(), view.lines.end(),
                   [](const ChatLine& a, const ChatLine& b) { return a.time_ms < b.time_ms; });
  if (auto usage = store.token_usage(story); usage.ok()) {
    for (const auto& record : usage.value())
      view.cost_usd += record.cost_usd;
  }
  return view;
}

}  // namespace

std::string chat_opening_prompt(const std::string& text) {
  return "You are the project chat of stork, talking with a person who plans the work of this "
         "repository. Your working directory is the project's main checkout: read the code to "
         "answer, but do not change any file (you cannot). To act, use stork's MCP tools "
         "(mcp__storkit__*): create_story, create_bug, update_story, list_agents, start_agent, "
         "get_agent_output and the others. Answer briefly.\n\nThe person says:\n" +
         text;
}

asio::awaitable<AgentOpResult<ChatReceipt>> ChatOps::send(ChatSend message) {
  if (auto bad = check_message_text(message.text)) co_return fail(AgentOpError{*bad});
  auto read_agent = [root = services_.project_root] { return chat_agent_of(root); };
  auto chat_agent = co_await offload(services_.workers, read_agent);
  if (!chat_agent.ok()) co_return fail(AgentOpError{chat_agent.error()});
  auto record = [root = services_.project_root, message, root_agent = chat_agent.value()] {
    return record_message(root, message, root_agent);
  };
  auto recorded = co_await offload(services_.workers, record);
  if (!recorded.ok()) co_return fail(AgentOpError{recorded.error()});
  const Recorded& done = recorded.value();
  const std::string& agent = done.conversation.agent;
  auto config = services_.config ? services_.config() : nullptr;
  if (!config || config->find_agent(agent) == nullptr) {
    co_return fail(AgentOpError{
        agent_conflict("conversation " + std::to_string(done.conversation.id) + " talks to " +
                       agent + ", who is no longer in the roster; start a new one")});
  }
  agents::ChatTurn turn{
      state::chat_story(done.conversation.id), agent,
      done.first || message.fresh ? chat_opening_prompt(message.text) : message.text,
      message.fresh};
  auto chatting = services_.pool->chat(std::move(turn));
  auto delivered = co_await std::move(chatting);
  if (!delivered.ok()) co_return fail(AgentOpError{delivered.error()});
  const std::int64_t run_id = delivered.value().run.run_id;
  auto link = [root = services_.project_root, id = done.message.id, run_id] {
    auto store = state::ProjectChatStore::open(root);
    if (store.ok()) (void)store.value()->set_message_run(id, run_id);
  };
  co_await offload(services_.workers, link);
  co_return ChatReceipt{done.conversation.id, done.message.id, agent, run_id,
                        delivered.value().live};
}

asio::awaitable<OpResult<ChatView>> ChatOps::get(std::int64_t conversation) {
  auto read = [root = services_.project_root, conversation] {
    return read_view(root, conversation);
  };
  co_return co_await offload(services_.workers, read);
}

asio::awaitable<OpResult<std::vector<state::ChatConversation>>> ChatOps::list() {
  auto read = [root = services_.project_root]() -> OpResult<std::vector<state::ChatConversation>> {
    auto store = state::ProjectChatStore::open(root);
    if (!store.ok()) return fail(OpError(OpError::Kind::Failed, store.error().message));
    auto found = store.value()->conversations(kListLimit);
    if (!found.ok()) return fail(OpError(OpError::Kind::Failed, found.error().message));
    return found.value();
  };
  co_return co_await offload(services_.workers, read);
}

}  // namespace stork::ops
