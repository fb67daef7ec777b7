// Starting the stork-supervise program with posix_spawn (no fork of the server: see
// supervisor_main.cpp): for one agent (launcher.cpp) or as a standby (standby_supervisor.cpp).
#pragma once

#include <span>
#include <string>
#include <vector>

#include <sys/types.h>

#include "base/result.hpp"

namespace stork::proc {

// A descriptor of the server's (-1: none) that the program gets at `number`.
struct GivenFd {
  int fd = -1;
  int number = -1;
};

// Starts the program with `command_line` (its argv, from "stork-supervise" on), the
// environment `envp`, every signal blocked and at its default, and `fds` at their numbers;
// every other descriptor of the server is close-on-exec and stays behind.
Result<pid_t, std::string> spawn_supervisor_program(std::vector<std::string> command_line,
                                                    char* const* envp,
                                                    std::span<const GivenFd> fds);

}  // namespace stork::proc
