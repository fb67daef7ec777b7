// The files a wizard step writes: reading the target as it is now (for the draft's base hash
// and the overwrite check), turning a confirmed draft into the file's new content (whole files
// as drafted; the [[component]] or [[agent]] tables of project.toml replaced, the rest kept,
// the result validated as a project.toml), and writing it. Blocking file I/O: callers offload.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "ops/wizard_steps.hpp"

namespace stork::ops {

// The target's content, nullopt when it does not exist; an error when it cannot be read.
Result<std::optional<std::string>, std::string> read_step_target(
    const std::filesystem::path& project_root, WizardStep step);
// content_hash of the content, "" for a file that does not exist.
std::string target_hash(const std::optional<std::string>& content);

// The target's new content once `draft` is confirmed; an error naming the draft's line (a
// table step's draft holds something else than its tables) or project.toml's (the result does
// not load as a configuration).
Result<std::string, std::string> confirmed_content(WizardStep step,
                                                   const std::optional<std::string>& current,
                                                   const std::string& draft);

// Writes the target atomically (script/test executable), creating its directories.
Result<void, std::string> write_step_target(const std::filesystem::path& project_root,
                                            WizardStep step, const std::string& content);

// [[name]] tables (and their [name.x] sub-tables) removed from `toml`, everything else kept.
std::string without_tables(const std::string& toml, std::string_view name);

}  // namespace stork::ops
