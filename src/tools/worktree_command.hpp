// How a command an agent asks for runs in its item's worktree: bash under the gate runner
// (time limit, output tail, a log under .storkit/logs/<id>/). Shared by the MCP run_command
// tool and the API runtimes' built-in run_command, so both have the same limits; the caller
// checks command_policy first.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "config/project_config.hpp"
#include "engine/gate_runner.hpp"

namespace stork::tools {

inline constexpr std::int64_t kDefaultCommandTimeoutSecs = 120;
inline constexpr std::int64_t kMaxCommandTimeoutSecs = 600;

engine::GateSpec worktree_command_spec(const std::filesystem::path& project_root,
                                       const std::string& story_id,
                                       const std::filesystem::path& worktree,
                                       const std::string& command, std::int64_t timeout_secs);

// Under bwrap when the project's `sandbox` says so (docs/sandbox.md); `config` may be null.
void apply_command_sandbox(engine::GateSpec& spec, const ProjectConfig* config);

}  // namespace stork::tools
