#include "agents/runtime/api_runtime.hpp"
#include "agents/runtime/claude_runtime.hpp"
#include "agents/runtime/codex_runtime.hpp"
#include "agents/runtime/command_runtime.hpp"

namespace stork::agents {

Result<std::unique_ptr<Runtime>, RuntimeError> make_runtime(std::string_view name) {
  if (name == "claude-code") return std::unique_ptr<Runtime>(std::make_unique<ClaudeRuntime>());
  if (name == "command") return std::unique_ptr<Runtime>(std::make_unique<CommandRuntime>());
  if (name == "openai") return std::unique_ptr<Runtime>(std::make_unique<OpenAiRuntime>());
  if (name == "gemini") return std::unique_ptr<Runtime>(std::make_unique<GeminiRuntime>());
  if (name == "codex") return std::unique_ptr<Runtime>(std::make_unique<CodexRuntime>());
  return fail(RuntimeError{"unknown runtime '" + std::string(name) +
                           "'; supported: claude-code, command, openai, gemini, codex"});
}

}  // namespace stork::agents
