// `stork story ...`: create, list, show, move, block, unblock and check work items from the
// shell. Thin glue: the rules live in pipeline/, the files in work/, the commits in git/.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace stork::cli {

void add_story_commands(CLI::App& app, CliContext& context);

}  // namespace stork::cli
