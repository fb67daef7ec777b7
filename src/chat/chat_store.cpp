#include "chat/chat_store.hpp"

#include "state/schema.hpp"

namespace stork::chat {
namespace {

template <class T>
using StoreResult = Result<T, std::string>;

std::string text(const state::StateError& error) {
  return error.message;
}

}  // namespace

StoreResult<std::unique_ptr<ChatStore>> ChatStore::open(const std::filesystem::path& root) {
  auto db = state::open_project_database(root);
  if (!db) return fail(text(db.error()));
  return std::unique_ptr<ChatStore>(new ChatStore(std::move(db.value())));
}

StoreResult<std::optional<std::string>> ChatStore::value(const std::string& key) {
  auto statement = db_.cached("SELECT value FROM chat_state WHERE key = ?1");
  if (!statement) return fail(text(statement.error()));
  (*statement)->bind(1, std::string_view(key));
  auto row = (*statement)->step();
  if (!row) return fail(text(row.error()));
  if (*row != state::Step::Row) return std::optional<std::string>();
  return std::optional<std::string>(std::string((*statement)->column_text(0)));
}

StoreResult<void> ChatStore::set_value(const std::string& key, const std::string& value) {
  auto statement = db_.cached(
      "INSERT INTO chat_state(key, value) VALUES (?1, ?2) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!statement) return fail(text(statement.error()));
  (*statement)->bind(1, std::string_view(key)).bind(2, std::string_view(value));
  if (auto done = (*statement)->run(); !done) return fail(text(done.error()));
  return {};
}

StoreResult<ChatRoom> ChatStore::room(const std::string& room) {
  auto statement =
      db_.cached("SELECT direct, ambient, refused_encrypted FROM chat_rooms WHERE room = ?1");
  if (!statement) return fail(text(statement.error()));
  (*statement)->bind(1, std::string_view(room));
  auto row = (*statement)->step();
  if (!row) return fail(text(row.error()));
  ChatRoom out{room};
  if (*row == state::Step::Row) {
    out.direct = (*statement)->column_int64(0) != 0;
    out.ambient = (*statement)->column_int64(1) != 0;
    out.refused_encrypted = (*statement)->column_int64(2) != 0;
  }
  return out;
}

StoreResult<void> ChatStore::save_room(const ChatRoom& room) {
  auto statement = db_.cached(
      "INSERT INTO chat_rooms(room, direct, ambient, refused_encrypted) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT(room) DO UPDATE SET direct = excluded.direct, ambient = excluded.ambient, "
      "refused_encrypted = excluded.refused_encrypted");
  if (!statement) return fail(text(statement.error()));
  (*statement)
      ->bind(1, std::string_view(room.room))
      .bind(2, room.direct ? 1 : 0)
      .bind(3, room.ambient ? 1 : 0)
      .bind(4, room.refused_encrypted ? 1 : 0);
  if (auto done = (*statement)->run(); !done) return fail(text(done.error()));
  return {};
}

StoreResult<std::vector<std::string>> ChatStore::ambient_rooms() {
  auto statement = db_.cached("SELECT room FROM chat_rooms WHERE ambient = 1 ORDER BY room");
  if (!statement) return fail(text(statement.error()));
  std::vector<std::string> rooms;
  for (;;) {
    auto row = (*statement)->step();
    if (!row) return fail(text(row.error()));
    if (*row != state::Step::Row) break;
    rooms.emplace_back((*statement)->column_text(0));
  }
  return rooms;
}

StoreResult<bool> ChatStore::handled(const std::string& event_id) {
  auto statement = db_.cached("SELECT 1 FROM chat_handled WHERE event_id = ?1");
  if (!statement) return fail(text(statement.error()));
  (*statement)->bind(1, std::string_view(event_id));
  auto row = (*statement)->step();
  if (!row) return fail(text(row.error()));
  return *row == state::Step::Row;
}

StoreResult<void> ChatStore::mark_handled(const std::string& event_id, std::int64_t now_ms) {
  auto statement =
      db_.cached("INSERT OR IGNORE INTO chat_handled(event_id, handled_at_ms) VALUES (?1, ?2)");
  if (!statement) return fail(text(statement.error()));
  (*statement)->bind(1, std::string_view(event_id)).bind(2, now_ms);
  if (auto done = (*statement)->run(); !done) return fail(text(done.error()));
  return {};
}

}  // namespace stork::chat
