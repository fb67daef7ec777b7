// The `openai` and `gemini` runtimes: no agent process; stork itself talks to the model API
// (OpenAI Chat Completions or any server that imitates it, or Google's Gemini API) and runs
// the tool loop: send the conversation, stream the answer (its text becomes live events),
// execute every tool call through the LaunchContext's ToolHost, append the results, repeat
// until the model answers without tool calls or the agent's max_turns is reached. Token usage
// and cost (ProjectConfig::pricing, find_model_price) are reported in the final `result`
// event; the conversation is persisted under the run's session id (state::ConversationStore)
// so that a resumed session continues it. Failures: docs/runtimes.md.
#pragma once

#include "agents/runtime/runtime.hpp"

namespace stork::agents {

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
