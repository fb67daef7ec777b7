// The server side of starting a supervised agent: prepares the launch plan and descriptors,
// hands them to a stork-supervise program (the standby, or one started for this agent) and
// waits (briefly, until execve succeeded or failed) for its handshake. Synchronous and free of
// Asio; ChildProcess takes over the descriptors.
#pragma once

#include <string>

#include <sys/types.h>

#include "base/result.hpp"
#include "proc/spawn_options.hpp"
#include "proc/unique_fd.hpp"

namespace stork::proc {

struct LaunchedAgent {
  pid_t supervisor_pid = -1;
  pid_t agent_pid = -1;
  UniqueFd control;       // the server's end of the lifeline socket
  UniqueFd output;        // PTY master or the read end of the output pipe
  UniqueFd stdin_writer;  // with SpawnOptions::stdin_stream: the server's end of stdin
};

struct LaunchError {
  std::string message;  // "cannot run 'claudex': No such file or directory (cwd /x)"
};

Result<LaunchedAgent, LaunchError> launch_supervised(const SpawnOptions& options);

}  // namespace stork::proc
