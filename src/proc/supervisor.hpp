// The code that runs in the forked supervisor and in the agent before execve (see the design
// note in child_process.hpp). It uses only async-signal-safe calls and never returns.
#pragma once

#include "proc/launch_plan.hpp"

namespace stork::proc {

// The descriptors the supervisor inherits and needs; every other descriptor is closed at once.
struct SupervisorFds {
  int control = -1;       // the supervisor's end of the lifeline socket
  int dev_null = -1;      // for the supervisor's own stdio and the agent's stdin without data
  int agent_output = -1;  // PTY slave, or the write end of the output pipe
  int agent_stdin = -1;   // read end of the stdin pipe, or -1
  int stdin_writer = -1;  // write end of the stdin pipe (the supervisor feeds it), or -1
};

[[noreturn]] void run_supervisor(const LaunchPlan& plan, SupervisorFds fds);

}  // namespace stork::proc
