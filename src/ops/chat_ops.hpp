// ChatOps: the board's project chat (docs/project-chat.md), once, for REST (/api/chat) and any
// later surface. A conversation is a row in state.db and the runs of its agent (`[chat] agent`
// in project.toml) with story "chat-<id>": sending checks the text, records the person's
// message, and hands it to AgentPool::chat, which delivers it into the live turn or starts a
// run in the project root that resumes the conversation's session. What the agent says,
// calls and is asked streams as those runs' events (/ws); get() reads them back from state.db.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "ops/agent_ops.hpp"
#include "ops/ops_services.hpp"
#include "state/project_chat_store.hpp"
#include "state/records.hpp"

namespace stork::ops {

struct ChatSend {
  std::optional<std::int64_t> conversation;  // none: a new conversation
  std::string text;
  bool fresh = false;  // a new agent session for an existing conversation
};

struct ChatReceipt {
  std::int64_t conversation_id = 0;
  std::int64_t message_id = 0;
  std::string agent;
  std::int64_t run_id = 0;
  bool live = false;  // the running turn took it; else run_id is the run that answers it
};

// One line of a conversation as people read it: what a person sent, or the agent's text.
struct ChatLine {
  std::string role;  // "person" | "agent"
  std::string text;
  std::int64_t time_ms = 0;
  std::optional<std::int64_t> run_id;
};

struct ChatView {
  state::ChatConversation conversation;
  std::vector<ChatLine> lines;             // in time order
  std::vector<state::EventRecord> events;  // every event of its runs, oldest run first
  std::vector<state::RunRecord> runs;      // oldest first
  double cost_usd = 0;                     // of all its runs (token usage)
};

class ChatOps {
 public:
  explicit ChatOps(OpsServices services) : services_(std::move(services)) {}

  // Refused: InvalidInput (field "text": empty, too long, not UTF-8), NotFound (field
  // "conversation": no such conversation), Conflict (field "agent": the project has no
  // `[chat] agent`, or the conversation's agent left the roster), or the pool's error.
  boost::asio::awaitable<AgentOpResult<ChatReceipt>> send(ChatSend message);
  // NotFound (field "conversation").
  boost::asio::awaitable<OpResult<ChatView>> get(std::int64_t conversation);
  // Most recently active first.
  boost::asio::awaitable<OpResult<std::vector<state::ChatConversation>>> list();

 private:
  OpsServices services_;
};

// What the agent reads first in a new session: its role, then the person's message.
std::string chat_opening_prompt(const std::string& text);

}  // namespace stork::ops
