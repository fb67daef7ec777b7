// The ACP agents stork knows by their command line, and how each takes a model API's base URL
// and key. ACP itself has no way to hand an agent a provider: each agent reads its own
// environment variables. So an `acp` agent's `base_url` and `api_key_env` (the same keys as the
// API runtimes') reach a known agent through its variables (docs/runtime-acp.md); for an
// unknown one the loader warns that they are not passed.
#pragma once

#include <optional>
#include <string_view>

#include "config/project_config.hpp"

namespace stork {

struct KnownAcpAgent {
  std::string_view name;          // "the Gemini CLI", for messages
  std::string_view base_url_env;  // where the agent reads a base URL
  std::string_view api_key_env;   // where the agent reads its key
};

// The agent an `acp` block starts, recognised by the last path segment of its command or of
// one of its args with any "@version" dropped (`gemini`, `npx @zed-industries/claude-code-acp`,
// `codex-acp`); nullopt for any other program.
std::optional<KnownAcpAgent> known_acp_agent(const AgentConfig& agent);

}  // namespace stork
