// `stork init [--port N]`: sets up .storkit/ in the current git repository (see project_init.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace stork::cli {

void add_init_command(CLI::App& app, CliContext& context);

}  // namespace stork::cli
