#include "agents/codex/codex_launch.hpp"

namespace stork::codex {

std::vector<std::string> codex_argv(const AgentConfig& agent,
                                    const std::optional<std::string>& resume_session) {
  std::vector<std::string> argv{agent.command.value_or("codex"), "exec"};
  if (resume_session) argv.emplace_back("resume");
  argv.emplace_back("--json");
  argv.insert(argv.end(), agent.args.begin(), agent.args.end());
  // After `--` nothing is read as a flag: a session id is only ever a positional argument.
  argv.emplace_back("--");
  if (resume_session) argv.push_back(*resume_session);
  argv.emplace_back("-");
  return argv;
}

}  // namespace stork::codex
