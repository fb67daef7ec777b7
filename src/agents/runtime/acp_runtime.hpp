// The `acp` runtime: any agent that speaks the Agent Client Protocol on stdio, started as the
// agent's `command` + `args` in the worktree (claude-code-acp, `gemini --experimental-acp`,
// codex-acp, ...). stork is the ACP client (agents/acp/acp_client.hpp): one session per run
// (session/load of the previous one on a retry when the agent can), the prompt as
// session/prompt, and when the turn is over stdin is closed and the process ended, since ACP
// agents wait for further prompts. docs/runtime-acp.md.
#pragma once

#include "agents/runtime/runtime.hpp"

namespace stork::agents {

class AcpRuntime final : public Runtime {
 public:
  std::string_view name() const override { return "acp"; }
  Result<std::shared_ptr<RuntimeRun>, RuntimeError> start(
      const LaunchContext& context, const boost::asio::any_io_executor& executor,
      std::shared_ptr<RunObserver> observer) const override;
};

}  // namespace stork::agents
