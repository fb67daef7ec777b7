#include "agents/runtime/acp_runtime.hpp"
#include "agents/runtime/api_runtime.hpp"
#include "agents/runtime/claude_runtime.hpp"
#include "agents/runtime/codex_runtime.hpp"
#include "agents/runtime/command_runtime.hpp"
#include "agents/runtime/gemini_cli_runtime.hpp"

namespace stork::agents {

Result<std::unique_ptr<Runtime>, RuntimeError> make_runtime(std::string_view name) {
  if (name == "claude-code") return std::unique_ptr<Runtime>(std::make_unique<ClaudeRuntime>());
  if (name == "command") return std::unique_ptr<Runtime>(std::make_unique<CommandRuntime>());
  if (name == "openai") return std::unique_ptr<Runtime>(std::make_unique<OpenAiRuntime>());
  if (name == "gemini") return std::unique_ptr<Runtime>(std::make_unique<GeminiRuntime>());
  if (name == "acp") return std::unique_ptr<Runtime>(std::make_unique<AcpRuntime>());
  if (name == "gemini-cli") return std::unique_ptr<Runtime>(std::make_unique<GeminiCliRuntime>());
  if (name == "codex") return std::unique_ptr<Runtime>(std::make_unique<CodexRuntime>());
  return fail(RuntimeError{"unknown runtime '" + std::string(name) +
                           "'; supported: claude-code, command, openai, gemini, gemini-cli, codex, "
                           "acp"});
}

}  // namespace stork::agents
