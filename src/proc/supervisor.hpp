// The work of the stork-supervise program: start the agent, watch it and the lifeline, and
// leave nothing running (see the design note in child_process.hpp). Never returns.
#pragma once

#include "proc/supervisor_arguments.hpp"

namespace stork::proc {

// The descriptors the supervisor is given and needs; every other descriptor is closed at once.
struct SupervisorFds {
  int control = -1;       // the supervisor's end of the lifeline socket
  int dev_null = -1;      // for the supervisor's own stdio and the agent's stdin without data
  int agent_output = -1;  // PTY slave, or the write end of the output pipe
  int agent_stdin = -1;   // the agent's stdin (data in a memfd, or a socket), or -1
};

// `envp` is the agent's environment.
[[noreturn]] void run_supervisor(const SupervisorArguments& arguments, char** envp,
                                 SupervisorFds fds);

}  // namespace stork::proc
