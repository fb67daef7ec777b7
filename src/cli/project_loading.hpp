// The first steps of every command that reads the project's configuration (config check,
// doctor, notify test, chat check): find the project, load .storkit/project.toml, and on
// failure report it the one way (no project: usage error; errors in the file: every one of
// them on stderr, then a failure naming the file).
#pragma once

#include <filesystem>
#include <optional>

#include "cli/cli_context.hpp"
#include "config/config_loader.hpp"

namespace stork::cli {

struct LoadedProject {
  std::filesystem::path root;  // the directory holding .storkit/
  std::filesystem::path toml;  // root/.storkit/project.toml
  LoadedConfig loaded;
};

// The project, loaded; nullopt after reporting the failure on `context`.
std::optional<LoadedProject> load_project_or_report(CliContext& context);

}  // namespace stork::cli
