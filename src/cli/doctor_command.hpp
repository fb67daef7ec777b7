// `stork doctor`: checks the project's setup (ops/doctor.hpp) and prints every problem with its
// fix; exit 1 when any is an error. `stork serve` and `stork config check --deep` run the same
// checks through `doctor_passes`.
#pragma once

#include <filesystem>

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"
#include "config/project_config.hpp"

namespace stork::cli {

void add_doctor_command(CLI::App& app, CliContext& context);

// Runs the checks; prints the report to `context.err` when there is a problem (and always when
// `verbose`). False, with the exit code set, when any check is an error.
bool doctor_passes(CliContext& context, const std::filesystem::path& root,
                   const ProjectConfig& config, bool verbose);

}  // namespace stork::cli
