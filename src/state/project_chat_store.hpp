// ProjectChatStore: the board's project chat in .storkit/state.db (docs/project-chat.md): one
// row per conversation (which agent it talks to) and one per message a person sent into it,
// with the run that message started or reached. What the agent said is not copied here: it is
// the events of the conversation's runs (RunStore), whose story is chat_story(id).
// Its own SQLite connection, used by one owner at a time (ops opens one per operation).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "state/sqlite.hpp"

namespace stork::state {

struct ChatConversation {
  std::int64_t id = 0;
  std::string agent;
  std::string title;  // the start of its first message
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

struct ChatMessage {
  std::int64_t id = 0;
  std::int64_t conversation_id = 0;
  std::int64_t time_ms = 0;
  std::string text;
  std::optional<std::int64_t> run_id;  // the run it started or was delivered into
};

// The pool's story key of a conversation's runs: "chat-<id>". Never a valid item id (those
// start with a number), so no item operation ever finds it.
std::string chat_story(std::int64_t conversation_id);
bool is_chat_story(std::string_view story);

class ProjectChatStore {
 public:
  static StateResult<std::unique_ptr<ProjectChatStore>> open(
      const std::filesystem::path& project_root);

  StateResult<ChatConversation> create_conversation(const std::string& agent,
                                                    const std::string& title, std::int64_t now_ms);
  StateResult<std::optional<ChatConversation>> conversation(std::int64_t id);
  // Most recently active first.
  StateResult<std::vector<ChatConversation>> conversations(std::size_t limit);

  // Appends a person's message and marks the conversation active at `time_ms`.
  StateResult<ChatMessage> add_message(std::int64_t conversation_id, const std::string& text,
                                       std::int64_t time_ms);
  StateResult<void> set_message_run(std::int64_t message_id, std::int64_t run_id);
  // Oldest first.
  StateResult<std::vector<ChatMessage>> messages(std::int64_t conversation_id);

 private:
  explicit ProjectChatStore(Database db) : db_(std::move(db)) {}
  Database db_;
};

}  // namespace stork::state
