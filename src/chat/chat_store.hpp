// ChatStore: what the chat bot keeps in .storkit/state.db (migration 5): values per account
// (the /sync `since` token, a token obtained by password login), what it knows of each room
// (direct, ambient, told that encryption is not supported) and the command events it has
// taken, so that a restart neither answers a command twice nor skips one. Blocking SQLite on
// its own connection: the bot calls it on the shared worker pool, one call at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "state/sqlite.hpp"

namespace stork::chat {

struct ChatRoom {
  std::string room;
  bool direct = false;
  bool ambient = false;
  bool refused_encrypted = false;
};

class ChatStore {
 public:
  static Result<std::unique_ptr<ChatStore>, std::string> open(const std::filesystem::path& root);

  Result<std::optional<std::string>, std::string> value(const std::string& key);
  Result<void, std::string> set_value(const std::string& key, const std::string& value);

  Result<ChatRoom, std::string> room(const std::string& room);  // defaults when unknown
  Result<void, std::string> save_room(const ChatRoom& room);
  Result<std::vector<std::string>, std::string> ambient_rooms();

  Result<bool, std::string> handled(const std::string& event_id);
  Result<void, std::string> mark_handled(const std::string& event_id, std::int64_t now_ms);

 private:
  explicit ChatStore(state::Database db) : db_(std::move(db)) {}
  state::Database db_;
};

}  // namespace stork::chat
