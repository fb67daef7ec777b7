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
#include <string_view>
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

// A standby supervisor (standby_supervisor.hpp) is started before its agent is known, so it
// gets the same command line, and the agent's environment, later in one memory file:
//
//   <n> NUL, then n command-line strings and then the environment's, each ending in NUL
//
// Each string ends at its first NUL, as execve would read it.
struct StandbyPlan {
  std::vector<std::string> command_line;  // as encode_supervisor_arguments made it
  std::vector<std::string> environment;   // "NAME=value"
};

std::string encode_standby_plan(const std::vector<std::string>& command_line,
                                const std::vector<std::string>& environment);

// nullopt when `bytes` is not one encode_standby_plan made.
std::optional<StandbyPlan> decode_standby_plan(std::string_view bytes);

}  // namespace stork::proc
