// `stork run [STORY...] [--agent NAME]`: runs agents in the foreground, without the server.
// Resumes runs that a crash interrupted, starts an agent on each STORY, prints every event as
// it happens and exits when all of them have ended: 0 if every run completed, 1 otherwise.
// SIGINT/SIGTERM stop the agents and leave their runs interrupted, to be resumed next time.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace stork::cli {

void add_run_command(CLI::App& app, CliContext& context);

}  // namespace stork::cli
