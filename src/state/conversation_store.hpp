// ConversationStore: the conversation of each API run (openai, gemini) by session id, so that
// a run started again on the same item and agent (a resume after a rate limit, a crash, or a
// new start_agent) continues it, as `claude --resume` does for Claude Code. The messages are
// kept in the provider's own format, as JSON text; a session belongs to one runtime.
// One connection of its own to the project's state database; one owner at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "state/sqlite.hpp"

namespace stork::state {

struct Conversation {
  std::string session_id;
  std::string story;
  std::string agent;
  std::string runtime;  // "openai", "gemini"
  std::string model;
  std::string messages;  // a JSON array in the runtime's format
  std::int64_t updated_at_ms = 0;
};

class ConversationStore {
 public:
  static StateResult<std::unique_ptr<ConversationStore>> open(
      const std::filesystem::path& project_root);

  // Inserts or replaces the conversation of `conversation.session_id`.
  StateResult<void> save(const Conversation& conversation);
  StateResult<std::optional<Conversation>> load(std::string_view session_id);

 private:
  explicit ConversationStore(Database db) : db_(std::move(db)) {}
  Database db_;
};

}  // namespace stork::state
