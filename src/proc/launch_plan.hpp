// LaunchPlan: everything the supervisor and the agent need, prepared by the server: the
// agent's argv and environment, and the paths execve will try (the PATH walk of execvp, done
// here so that the agent's side of the clone only makes async-signal-safe calls).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "proc/spawn_options.hpp"
#include "proc/supervisor_arguments.hpp"

namespace stork::proc {

struct LaunchPlan {
  std::string program;                   // argv[0] as given, for messages
  SupervisorArguments supervisor;        // what stork-supervise needs: argv, cwd, PATH candidates
  std::vector<std::string> environment;  // the agent's, "NAME=value"
};

// The child's environment: ours minus unset_env minus CLAUDECODE plus set_env (later entries
// win), each "NAME=value".
std::vector<std::string> child_environment(const SpawnOptions& options);

// Where execve should look for `program`: itself when it contains '/', else each directory
// of `path_variable` (an empty entry means the current directory, as in execvp).
std::vector<std::string> executable_candidates(const std::string& program,
                                               std::string_view path_variable);

// The plan for `options` (argv must not be empty).
LaunchPlan prepare_launch_plan(const SpawnOptions& options);

}  // namespace stork::proc
