// The `gemini-cli` runtime: the Gemini CLI (@google/gemini-cli) headless, `--output-format
// stream-json`, in the item's worktree, the prompt on stdin (src/agents/gemini_cli/launch.hpp).
// Each agent of an item gets a GEMINI_CLI_HOME of its own under .storkit/logs/<story>/home (kept
// between runs: the CLI keeps its sessions there, and `--resume <id>` finds them), holding the
// settings stork writes before every run: API-key auth, no telemetry or update checks, and
// stork's MCP server. The agent's `base_url` and key (`api_key_env`) reach the CLI as
// GOOGLE_GEMINI_BASE_URL and GEMINI_API_KEY. Never touches the person's own ~/.gemini.
#pragma once

#include <filesystem>

#include "agents/runtime/runtime.hpp"

namespace stork::agents {

class GeminiCliRuntime final : public Runtime {
 public:
  std::string_view name() const override { return "gemini-cli"; }
  Result<std::shared_ptr<RuntimeRun>, RuntimeError> start(
      const LaunchContext& context, const boost::asio::any_io_executor& executor,
      std::shared_ptr<RunObserver> observer) const override;
};

// The CLI's home for one agent on one item: .storkit/logs/<story>/home/gemini-cli/<agent>.
std::filesystem::path gemini_cli_home(const LaunchContext& context);

}  // namespace stork::agents
