// LaunchPlan: everything the supervisor and the agent need after fork, prepared before it.
// After fork only async-signal-safe calls may run (the server has other threads, whose locks
// may be held forever in the child), so no allocation, no getenv, no PATH walk happens there:
// argv, envp and the PATH candidates are ready-made C arrays pointing into this object.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "proc/spawn_options.hpp"

namespace stork::proc {

struct LaunchPlan {
  std::string program;  // argv[0] as given, for messages
  std::string cwd;      // empty: inherit
  bool use_pty = false;
  bool has_stdin_data = false;
  std::string_view stdin_data;  // points into the SpawnOptions, which outlives the fork

  std::vector<std::string> argv_storage;
  std::vector<std::string> env_storage;
  std::vector<std::string> candidate_storage;  // paths to try with execve, in order
  std::vector<char*> argv;                     // null-terminated
  std::vector<char*> envp;                     // null-terminated
  std::vector<const char*> candidates;

  LaunchPlan() = default;
  LaunchPlan(const LaunchPlan&) = delete;  // the pointer arrays point into this object
  LaunchPlan& operator=(const LaunchPlan&) = delete;
};

// The child's environment: ours minus unset_env minus CLAUDECODE plus set_env (later entries
// win), each "NAME=value".
std::vector<std::string> child_environment(const SpawnOptions& options);

// Where execve should look for `program`: itself when it contains '/', else each directory
// of `path_variable` (an empty entry means the current directory, as in execvp).
std::vector<std::string> executable_candidates(const std::string& program,
                                               std::string_view path_variable);

// Fills `plan` from `options` (argv must not be empty).
void prepare_launch_plan(const SpawnOptions& options, LaunchPlan& plan);

}  // namespace stork::proc
