// `stork config check`: loads .storkit/project.toml and prints the resolved configuration
// (every default filled in) or every error with file:line:column (exit 1).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace stork::cli {

void add_config_commands(CLI::App& app, CliContext& context);

}  // namespace stork::cli
