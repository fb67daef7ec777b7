// Runs a program to completion and captures its output: the synchronous runner behind the git
// wrapper and the CLI. It never goes through a shell (argv is passed as is), so no story id or
// path can be interpreted as shell syntax. Long-running, streamed or PTY children belong to
// proc/ instead.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace stork {

struct Command {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH
  std::filesystem::path cwd;      // empty: inherit
  std::vector<std::pair<std::string, std::string>> set_env;
  std::vector<std::string> unset_env;
  std::string stdin_data;
  // Send stderr into the stdout pipe, so a log keeps both streams in the order they were
  // written (setup steps, gates); `err` then stays empty.
  bool merge_stderr = false;
};

struct CommandOutput {
  int exit_code = -1;   // valid when term_signal == 0
  int term_signal = 0;  // the signal that killed the child, or 0
  std::string out;
  std::string err;
  bool succeeded() const { return term_signal == 0 && exit_code == 0; }
};

// Fails only when the program cannot be started; a non-zero exit is a normal CommandOutput.
IoResult<CommandOutput> run_command(const Command& command);

// The NULL-terminated char* array exec and posix_spawn want, pointing into `strings` (which
// must outlive it and not change).
std::vector<char*> c_strings(std::vector<std::string>& strings);

}  // namespace stork
