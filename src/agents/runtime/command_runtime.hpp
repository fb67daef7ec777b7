// The `command` runtime: any executable (the agent's `command`, with its `args`) run in the
// worktree with the prompt on stdin and in STORK_PROMPT; exit code 0 is success. Used by the
// tests and the demo, and by users who wrap an agent of their own.
#pragma once

#include "agents/runtime/runtime.hpp"

namespace stork::agents {

// Output lines that are Claude Code stream-json objects (`{"type":"system","subtype":"init",
// "session_id":...}`, `{"type":"result",...,"usage":{...}}`) are understood as such, so a
// wrapper can report its session id, token usage and cost; every other line is plain output.
// When a session is resumed its id is in STORK_RESUME_SESSION.
class CommandRuntime final : public Runtime {
 public:
  std::string_view name() const override { return "command"; }
  Result<std::shared_ptr<RuntimeRun>, RuntimeError> start(
      const LaunchContext& context, const boost::asio::any_io_executor& executor,
      std::shared_ptr<RunObserver> observer) const override;
};

}  // namespace stork::agents
