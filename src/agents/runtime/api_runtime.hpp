// The `openai` and `gemini` runtimes: no agent process; stork itself talks to the model API
// (OpenAI Chat Completions or an imitation, Google's Gemini API) and runs the tool loop, with
// tool calls through the LaunchContext's ToolHost, until the model answers without tool calls
// or max_turns is reached. Failures: docs/runtimes.md. The loop itself: agents/api/api_run.hpp.
#pragma once

#include "agents/runtime/runtime.hpp"

namespace stork::agents {

// Each turn: send the conversation, stream the answer (its text becomes live events), execute
// every tool call, append the results. Token usage and cost (ProjectConfig::pricing,
// find_model_price) are reported in the final `result` event; the conversation is persisted
// under the run's session id (state::ConversationStore) so that a resumed session continues it.
class OpenAiRuntime final : public Runtime {
 public:
  std::string_view name() const override { return "openai"; }
  Result<std::shared_ptr<RuntimeRun>, RuntimeError> start(
      const LaunchContext& context, const boost::asio::any_io_executor& executor,
      std::shared_ptr<RunObserver> observer) const override;
};

class GeminiRuntime final : public Runtime {
 public:
  std::string_view name() const override { return "gemini"; }
  Result<std::shared_ptr<RuntimeRun>, RuntimeError> start(
      const LaunchContext& context, const boost::asio::any_io_executor& executor,
      std::shared_ptr<RunObserver> observer) const override;
};

}  // namespace stork::agents
