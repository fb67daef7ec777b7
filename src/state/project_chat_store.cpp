#include "state/project_chat_store.hpp"

#include <algorithm>
#include <limits>

#include "state/schema.hpp"

namespace stork::state {
namespace {

constexpr std::string_view kConversationColumns =
    "id, agent, title, created_at_ms, updated_at_ms FROM chat_conversations";

ChatConversation read_conversation(const Statement& row) {
  return ChatConversation{row.column_int64(0), std::string(row.column_text(1)),
                          std::string(row.column_text(2)), row.column_int64(3),
                          row.column_int64(4)};
}

}  // namespace

std::string chat_story(std::int64_t conversation_id) {
  return "chat-" + std::to_string(conversation_id);
}

bool is_chat_story(std::string_view story) {
  return story.starts_with("chat-");
}

StateResult<std::unique_ptr<ProjectChatStore>> ProjectChatStore::open(
    const std::filesystem::path& project_root) {
  auto db = open_project_database(project_root);
  if (!db) return fail(std::move(db).take_error());
  return std::unique_ptr<ProjectChatStore>(new ProjectChatStore(std::move(*db)));
}

StateResult<ChatConversation> ProjectChatStore::create_conversation(const std::string& agent,
                                                                    const std::string& title,
                                                                    std::int64_t now_ms) {
  static const std::string sql =
      "INSERT INTO chat_conversations (agent, title, created_at_ms, updated_at_ms) "
      "VALUES (?1, ?2, ?3, ?3)";
  auto insert = db_.cached(sql);
  if (!insert) return fail(std::move(insert).take_error());
  (*insert)->bind(1, std::string_view(agent)).bind(2, std::string_view(title)).bind(3, now_ms);
  if (auto ran = (*insert)->run(); !ran) return fail(std::move(ran).take_error());
  return ChatConversation{db_.last_insert_rowid(), agent, title, now_ms, now_ms};
}

StateResult<std::optional<ChatConversation>> ProjectChatStore::conversation(std::int64_t id) {
  static const std::string sql = "SELECT " + std::string(kConversationColumns) + " WHERE id = ?1";
  auto query = db_.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, id);
  auto step = (*query)->step();
  if (!step) return fail(std::move(step).take_error());
  if (*step == Step::Done) return std::optional<ChatConversation>{};
  return std::optional<ChatConversation>{read_conversation(**query)};
}

StateResult<std::vector<ChatConversation>> ProjectChatStore::conversations(std::size_t limit) {
  static const std::string sql = "SELECT " + std::string(kConversationColumns) +
                                 " ORDER BY updated_at_ms DESC, id DESC LIMIT ?1";
  auto query = db_.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, static_cast<std::int64_t>(
                        std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max())));
  std::vector<ChatConversation> found;
  for (;;) {
    auto step = (*query)->step();
    if (!step) return fail(std::move(step).take_error());
    if (*step == Step::Done) return found;
    found.push_back(read_conversation(**query));
  }
}

StateResult<ChatMessage> ProjectChatStore::add_message(std::int64_t conversation_id,
                                                       const std::string& text,
                                                       std::int64_t time_ms) {
  auto transaction = Transaction::begin(db_);
  if (!transaction) return fail(std::move(transaction).take_error());
  static const std::string insert_sql =
      "INSERT INTO chat_messages (conversation_id, time_ms, text) VALUES (?1, ?2, ?3)";
  auto insert = db_.cached(insert_sql);
  if (!insert) return fail(std::move(insert).take_error());
  (*insert)->bind(1, conversation_id).bind(2, time_ms).bind(3, std::string_view(text));
  if (auto ran = (*insert)->run(); !ran) return fail(std::move(ran).take_error());
  ChatMessage message{db_.last_insert_rowid(), conversation_id, time_ms, text, std::nullopt};
  static const std::string touch_sql =
      "UPDATE chat_conversations SET updated_at_ms = ?2 WHERE id = ?1";
  auto touch = db_.cached(touch_sql);
  if (!touch) return fail(std::move(touch).take_error());
  (*touch)->bind(1, conversation_id).bind(2, time_ms);
  if (auto ran = (*touch)->run(); !ran) return fail(std::move(ran).take_error());
  if (auto committed = transaction->commit(); !committed)
    return fail(std::move(committed).take_error());
  return message;
}

StateResult<void> ProjectChatStore::set_message_run(std::int64_t message_id, std::int64_t run_id) {
  static const std::string sql = "UPDATE chat_messages SET run_id = ?2 WHERE id = ?1";
  auto update = db_.cached(sql);
  if (!update) return fail(std::move(update).take_error());
  (*update)->bind(1, message_id).bind(2, run_id);
  return (*update)->run();
}

StateResult<std::vector<ChatMessage>> ProjectChatStore::messages(std::int64_t conversation_id) {
  static const std::string sql =
      "SELECT id, conversation_id, time_ms, text, run_id FROM chat_messages "
      "WHERE conversation_id = ?1 ORDER BY id";
  auto query = db_.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, conversation_id);
  std::vector<ChatMessage> found;
  for (;;) {
    auto step = (*query)->step();
    if (!step) return fail(std::move(step).take_error());
    if (*step == Step::Done) return found;
    const Statement& row = **query;
    found.push_back(ChatMessage{row.column_int64(0), row.column_int64(1), row.column_int64(2),
                                std::string(row.column_text(3)), row.column_optional_int64(4)});
  }
}

}  // namespace stork::state
