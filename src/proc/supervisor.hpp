// The work of the stork-supervise program: start the agent, watch it and the lifeline, and
// leave nothing running (see the design note in child_process.hpp). Never returns.
#pragma once

#include "proc/supervisor_arguments.hpp"
#include "proc/supervisor_protocol.hpp"

namespace stork::proc {

// The descriptors the supervisor is given and needs; every other descriptor is closed at once.
struct SupervisorFds {
  int control = -1;       // the supervisor's end of the lifeline socket
  int dev_null = -1;      // for the supervisor's own stdio and the agent's stdin without data
  int agent_output = -1;  // PTY slave, or the write end of the output pipe
  int agent_stdin = -1;   // the agent's stdin (data in a memfd, or a socket), or -1
};

// `envp` is the agent's environment. Detaches from the server, then supervises the agent.
[[noreturn]] void run_supervisor(const SupervisorArguments& arguments, char** envp,
                                 SupervisorFds fds);

// The server's signal handling, stdio and descriptors left behind: every descriptor but those in
// `fds` is closed, and `fds` are moved off 0..2.
void detach_from_server(SupervisorFds& fds);

// Starts the agent, reports, watches it and the lifeline, and exits once all is reaped; for a
// supervisor already detached from the server.
[[noreturn]] void supervise_agent(const SupervisorArguments& arguments, char** envp,
                                  const SupervisorFds& fds);

// A standby (`stork-supervise standby`, supervisor_standby.cpp): waits on `control` for its
// plan, then runs it as run_supervisor does; ends when the lifeline closes first.
[[noreturn]] void run_standby(int control, int dev_null);

// Tells the server that the agent could not be started, at `stage`, with `error` (an errno).
void report_launch_failure(int control, LaunchStage stage, int error);

}  // namespace stork::proc
