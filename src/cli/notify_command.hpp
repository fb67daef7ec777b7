// `stork notify test`: sends a test message to every `[[notify]]` channel of project.toml,
// directly (no server needed, nothing queued), and prints each channel's result; exit 1 when
// any failed or none is configured.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace stork::cli {

void add_notify_commands(CLI::App& app, CliContext& context);

}  // namespace stork::cli
