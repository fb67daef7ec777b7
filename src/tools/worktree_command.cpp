#include "tools/worktree_command.hpp"

#include <chrono>

#include "agents/runtime/runtime.hpp"

namespace stork::tools {
namespace {

// 'text' for sh, with every ' made '\''.
std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

engine::GateSpec worktree_command_spec(const std::filesystem::path& project_root,
                                       const std::string& story_id,
                                       const std::filesystem::path& worktree,
                                       const std::string& command, std::int64_t timeout_secs) {
  engine::GateSpec spec;
  // The gate runner runs `sh -c`; the command is bash's, and it is not a gate (STORK_GATE
  // would make a project's test script think so).
  spec.command = "unset STORK_GATE; exec bash -c " + shell_quote(command);
  spec.cwd = worktree;
  spec.timeout = std::chrono::seconds(timeout_secs);
  spec.log_file = project_root / ".storkit" / "logs" / story_id /
                  ("command-" + std::to_string(now_ms()) + ".log");
  spec.set_env = {{"STORK_STORY_ID", story_id}};
  return spec;
}

void apply_command_sandbox(engine::GateSpec& spec, const ProjectConfig* config) {
  if (config != nullptr) spec.sandbox = agents::command_sandbox(*config);
}

}  // namespace stork::tools
