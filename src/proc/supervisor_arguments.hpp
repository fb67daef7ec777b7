// The command line of the stork-supervise program: what it needs to start and watch one agent.
// The server encodes it (launcher.cpp); the program decodes it (supervisor_main.cpp). Its
// environment is the agent's, and its descriptors sit at fixed numbers (supervisor_protocol.hpp).
//
//   stork-supervise pty|pipe stdin|no-stdin <cwd> <n> <candidate>... -- <agent argv>...
//
// <cwd> is empty to inherit; the n candidates are the paths execve tries in order (the PATH
// walk is done by the server, as execvp would).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace stork::proc {

struct SupervisorArguments {
  bool use_pty = false;
  bool agent_stdin = false;  // kAgentStdinFd is the agent's stdin; else /dev/null
  std::string cwd;
  std::vector<std::string> candidates;
  std::vector<std::string> argv;  // not empty
};

std::vector<std::string> encode_supervisor_arguments(const SupervisorArguments& arguments);

// nullopt when the command line is not one encode_supervisor_arguments made.
std::optional<SupervisorArguments> decode_supervisor_arguments(int argc, const char* const* argv);

}  // namespace stork::proc
