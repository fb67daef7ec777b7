#include "state/conversation_store.hpp"

#include "state/schema.hpp"

namespace stork::state {

StateResult<std::unique_ptr<ConversationStore>> ConversationStore::open(
    const std::filesystem::path& project_root) {
  auto db = open_project_database(project_root);
  if (!db) return fail(std::move(db).take_error());
  return std::unique_ptr<ConversationStore>(new ConversationStore(std::move(*db)));
}

StateResult<void> ConversationStore::save(const Conversation& conversation) {
  auto upsert = db_.cached(
      "INSERT INTO conversations (session_id, story, agent, runtime, model, messages, "
      "updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(session_id) DO UPDATE SET "
      "story = excluded.story, agent = excluded.agent, runtime = excluded.runtime, model = "
      "excluded.model, messages = excluded.messages, updated_at_ms = excluded.updated_at_ms");
  if (!upsert) return fail(std::move(upsert).take_error());
  (*upsert)
      ->bind(1, std::string_view(conversation.session_id))
      .bind(2, std::string_view(conversation.story))
      .bind(3, std::string_view(conversation.agent))
      .bind(4, std::string_view(conversation.runtime))
      .bind(5, std::string_view(conversation.model))
      .bind(6, std::string_view(conversation.messages))
      .bind(7, conversation.updated_at_ms);
  return (*upsert)->run();
}

StateResult<std::optional<Conversation>> ConversationStore::load(std::string_view session_id) {
  auto query = db_.cached(
      "SELECT session_id, story, agent, runtime, model, messages, updated_at_ms FROM "
      "conversations WHERE session_id = ?1");
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, session_id);
  auto row = (*query)->step();
  if (!row) return fail(std::move(row).take_error());
  if (*row == Step::Done) return std::optional<Conversation>();
  const Statement& r = **query;
  Conversation conversation;
  conversation.session_id = r.column_text(0);
  conversation.story = r.column_text(1);
  conversation.agent = r.column_text(2);
  conversation.runtime = r.column_text(3);
  conversation.model = r.column_text(4);
  conversation.messages = r.column_text(5);
  conversation.updated_at_ms = r.column_int64(6);
  return std::optional<Conversation>(std::move(conversation));
}

}  // namespace stork::state
