// The `claude-code` runtime: `claude -p --input-format stream-json --output-format stream-json
// --verbose` with the agent's flags (src/agents/claude/launch.hpp), on pipes: the prompt is the
// first stdin line, a person's message while the turn runs is written after it (the CLI adds it
// to its next model request), and stdin is closed at the `result` so the CLI exits. cwd the
// worktree, CLAUDECODE unset so a stork started from inside a Claude Code session still runs
// independent agents.
#pragma once

#include "agents/runtime/runtime.hpp"

namespace stork::agents {

class ClaudeRuntime final : public Runtime {
 public:
  std::string_view name() const override { return "claude-code"; }
  Result<std::shared_ptr<RuntimeRun>, RuntimeError> start(
      const LaunchContext& context, const boost::asio::any_io_executor& executor,
      std::shared_ptr<RunObserver> observer) const override;
};

}  // namespace stork::agents
