// Loads .storkit/project.toml into a ProjectConfig. Every problem comes back as a Diagnostic
// with file, line, column and field; all errors are collected (not just the first) so one run
// of `stork config check` shows everything to fix. Unknown keys are warnings, never failures,
// so a newer storkit's project.toml still loads.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "config/diagnostic.hpp"
#include "config/project_config.hpp"

namespace stork {

struct LoadedConfig {
  ProjectConfig config;
  std::vector<Diagnostic> warnings;
};

// On failure, the error holds every error diagnostic (and the warnings found on the way).
using ConfigResult = Result<LoadedConfig, std::vector<Diagnostic>>;

// `file_name` is what diagnostics call the file (usually a path relative to the project).
ConfigResult parse_project_config(std::string_view toml_text, std::string_view file_name);

ConfigResult load_project_config(const std::filesystem::path& project_toml);

}  // namespace stork
