// CliContext: what every `stork` subcommand runs against: its output streams, the directory it
// was started in, the --project override, and the exit code it leaves. Commands write only to
// these streams, so tests run them in-process and read what a user would see.
#pragma once

#include <filesystem>
#include <istream>
#include <optional>
#include <ostream>

namespace stork::cli {

// Exit codes, documented in README.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and failed: bad input, not found, ...
inline constexpr int kExitUsage = 2;    // wrong arguments, or no git repository / no project

struct CliContext {
  std::ostream& out;
  std::ostream& err;
  std::filesystem::path cwd;
  std::optional<std::filesystem::path> project_flag;  // --project DIR
  int exit_code = kExitOk;
  std::istream* in = nullptr;  // what interactive commands read (`init --wizard`); null: stdin

  // Prints "stork: <message>" to err and sets the exit code.
  void fail(int code, const std::string& message);
  void warn(const std::string& message);
};

}  // namespace stork::cli
