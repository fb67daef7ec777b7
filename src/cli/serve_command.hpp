// `stork serve [--port 3000] [--host 127.0.0.1] [--project DIR] [--token T]`: runs the server
// (MCP at /mcp, REST API, metrics, web UI) in the foreground until SIGINT/SIGTERM. Prints
// "listening on http://HOST:PORT" on stdout once ready; logs go to stderr. Exit codes: 0 after
// an orderly shutdown, 1 when the configuration has errors, the port is in use or start-up
// fails, 2 for a non-loopback --host without a token. Docs: docs/serve.md.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace stork::cli {

void add_serve_command(CLI::App& app, CliContext& context);

}  // namespace stork::cli
