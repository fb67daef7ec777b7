// Reads project.toml's `[chat]` table (`agent`, the board's project chat, and `[chat.matrix]`),
// with file:line diagnostics.
// Private to config/: the project loader validates it with everything else; the public
// chat_config_loader.hpp reads it alone for the bot and `stork chat check`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/chat_config.hpp"
#include "config/diagnostic.hpp"

namespace stork::config_detail {

// `agent` and `agent_line`: `[chat] agent` and where it is (the loader checks it is in the roster).
void read_chat_table(const toml::table& chat, const std::string& file, std::vector<Diagnostic>& out,
                     std::optional<MatrixChatConfig>& matrix, std::optional<std::string>& agent,
                     int& agent_line);

}  // namespace stork::config_detail
