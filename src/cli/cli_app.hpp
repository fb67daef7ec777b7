// run_cli: the whole `stork` command line as a function, so tests drive it in-process with
// their own streams and working directory. main() is a thin wrapper around it.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace stork::cli {

// `args` excludes the program name. Returns the process exit code (see cli_context.hpp).
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const std::filesystem::path& cwd);

}  // namespace stork::cli
