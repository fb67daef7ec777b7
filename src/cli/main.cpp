// The `stork` executable.
#include <csignal>
#include <filesystem>
#include <iostream>

#include "cli/cli_app.hpp"

int main(int argc, char** argv) {
  // A child that closes its stdin early must not kill us with SIGPIPE; writes report EPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  std::error_code error;
  return stork::cli::run_cli(args, std::cout, std::cerr, std::filesystem::current_path(error));
}
