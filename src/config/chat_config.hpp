// The chat bot's settings: `[chat.matrix]` in project.toml (docs/chat-matrix.md). A plain value
// type; the loader (chat_config_reader.cpp) validates it with file:line errors. Secrets (the
// access token, a password) are never in the file: only the names of the environment
// variables that hold them.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace stork {

struct MatrixChatConfig {
  std::string homeserver;                       // "https://matrix.example.org"
  std::string user_id;                          // "@stork:example.org"
  std::optional<std::string> access_token_env;  // the variable holding the bot's access token
  std::optional<std::string> password_env;      // or: password login; the token it gets is stored
  std::vector<std::string> rooms;               // notifications go here ("!id:server")
  std::vector<std::string> allowed_users;       // who may command the bot; everyone else is ignored
  int sync_timeout_secs = 30;                   // the /sync long-poll
  int line = 0;                                 // where the table starts in project.toml
};

}  // namespace stork
