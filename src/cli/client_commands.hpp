// The commands that talk to a running `stork serve` over its REST API (docs/api.md) instead of
// reading the project's files: `stork agent start|stop|list|logs`, `stork status`, `stork cost`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace stork::cli {

void add_agent_commands(CLI::App& app, CliContext& context);
void add_status_command(CLI::App& app, CliContext& context);
void add_cost_command(CLI::App& app, CliContext& context);
void add_token_command(CLI::App& app, CliContext& context);        // `stork token revoke`
void add_permission_commands(CLI::App& app, CliContext& context);  // stork permission ...

}  // namespace stork::cli
