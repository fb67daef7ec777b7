// `stork chat check`: tries the `[chat.matrix]` settings against the homeserver (token or
// password login, whoami, one sync) and prints one line per step; exit 1 when a step failed,
// project.toml has errors or there is no [chat.matrix].
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace stork::cli {

void add_chat_commands(CLI::App& app, CliContext& context);

}  // namespace stork::cli
