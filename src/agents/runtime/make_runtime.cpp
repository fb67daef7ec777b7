#include "agents/runtime/claude_runtime.hpp"
#include "agents/runtime/command_runtime.hpp"

namespace stork::agents {

Result<std::unique_ptr<Runtime>, RuntimeError> make_runtime(std::string_view name) {
  if (name == "claude-code") return std::unique_ptr<Runtime>(std::make_unique<ClaudeRuntime>());
  if (name == "command") return std::unique_ptr<Runtime>(std::make_unique<CommandRuntime>());
  if (name == "gemini" || name == "openai") {
    return fail(
        RuntimeError{"runtime '" + std::string(name) +
                     "' is not available in this build yet; supported: claude-code, command"});
  }
  return fail(
      RuntimeError{"unknown runtime '" + std::string(name) + "'; supported: claude-code, command"});
}

}  // namespace stork::agents
