// `[chat] agent` from .storkit/project.toml: who the board's project chat talks to
// (docs/project-chat.md), read on its own when a chat message is sent, so the file in force
// decides. The project loader (config_loader.hpp) validates it with everything else (an agent
// outside the roster is an error at its line). Nullopt without one.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "config/diagnostic.hpp"

namespace stork {

using ChatAgentResult = Result<std::optional<std::string>, std::vector<Diagnostic>>;

ChatAgentResult parse_chat_agent(std::string_view toml_text, std::string_view file_name);
ChatAgentResult load_chat_agent(const std::filesystem::path& project_toml);

}  // namespace stork
