// The chat bot's settings from .storkit/project.toml (`[chat.matrix]`, chat_config.hpp), read
// on their own: the rest of the file is ProjectConfig's (config_loader.hpp, which validates
// this table too, so `stork config check` reports its mistakes with everything else).
// Nullopt without the table; every mistake an error Diagnostic with file and line.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "config/chat_config.hpp"
#include "config/diagnostic.hpp"

namespace stork {

using ChatConfigResult = Result<std::optional<MatrixChatConfig>, std::vector<Diagnostic>>;

ChatConfigResult parse_chat_config(std::string_view toml_text, std::string_view file_name);
ChatConfigResult load_chat_config(const std::filesystem::path& project_toml);

}  // namespace stork
