// The setup wizard's one setting, `[wizard] agent = "NAME"` in .storkit/project.toml: the roster
// agent that drafts the wizard's steps (docs/wizard.md). The configuration loader checks that
// it names an [[agent]]; the wizard reads it here when it starts an action, so a changed
// project.toml is seen without a reload.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace stork {

// The agent's name, nullopt when the file has no [wizard] agent; an error when the file
// cannot be read or parsed (naming the file and line).
Result<std::optional<std::string>, std::string> parse_wizard_agent(std::string_view toml_text,
                                                                   std::string_view file_name);
Result<std::optional<std::string>, std::string> load_wizard_agent(
    const std::filesystem::path& project_root);

}  // namespace stork
