// The `codex` runtime: the Codex CLI, `codex exec --json` (or `codex exec resume --json <id>`
// to continue the item's thread), in the worktree, with the prompt on stdin. Its configuration
// is a config.toml stork writes for each run into a CODEX_HOME of the item and agent
// (.storkit/logs/<item>/home/.codex-<agent>, kept between runs so `resume` finds the thread;
// never the person's ~/.codex): model, a Responses-API provider at the agent's base_url with
// its api_key_env, stork's MCP server. How its JSONL becomes events: codex_event_translation.
#pragma once

#include <filesystem>

#include "agents/runtime/runtime.hpp"

namespace stork::agents {

class CodexRuntime final : public Runtime {
 public:
  std::string_view name() const override { return "codex"; }
  Result<std::shared_ptr<RuntimeRun>, RuntimeError> start(
      const LaunchContext& context, const boost::asio::any_io_executor& executor,
      std::shared_ptr<RunObserver> observer) const override;
};

// The CODEX_HOME of `agent`'s runs on `story_id`.
std::filesystem::path codex_home(const std::filesystem::path& project_root,
                                 const std::string& story_id, const std::string& agent);

}  // namespace stork::agents
