// stork-supervise: started by stork (proc/launcher.cpp) for every agent, never by hand. A
// program of its own rather than a fork of the server: a fork copies the server's page tables,
// and every page the server then writes while the supervisor lives (the agent's whole run)
// is copied too, so starting agents and streaming their output got slower, and each running
// supervisor pinned a copy of the server's memory.
#include <cstdio>
#include <string_view>

#include "proc/supervisor.hpp"
#include "proc/supervisor_protocol.hpp"

extern char** environ;

int main(int argc, char** argv) {
  using namespace stork::proc;
  if (argc == 2 && std::string_view(argv[1]) == kStandbyMode) run_standby(kControlFd, kDevNullFd);
  auto arguments = stork::proc::decode_supervisor_arguments(argc, argv);
  if (!arguments) {
    std::fputs("stork-supervise: runs agents for stork; it is not run by hand\n", stderr);
    return 2;
  }
  run_supervisor(*arguments, environ,
                 SupervisorFds{kControlFd, kDevNullFd, kAgentOutputFd,
                               arguments->agent_stdin ? kAgentStdinFd : -1});
}
