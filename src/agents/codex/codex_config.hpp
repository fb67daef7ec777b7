// The configuration one run of the Codex CLI reads: the config.toml stork writes into the run's
// own CODEX_HOME (never the person's ~/.codex), naming the model, a model provider that speaks
// the Responses API at the agent's base_url with the key from its api_key_env, stork's MCP
// server (streamable HTTP) and the settings that keep the CLI off the network otherwise.
// Pure: builds text only; the runtime writes it (src/agents/runtime/codex_runtime.cpp).
#pragma once

#include <optional>
#include <string>

namespace stork::codex {

// The variable the MCP bearer token travels in (the config names it, so the token itself is
// never written to a file).
inline constexpr const char* kMcpTokenVariable = "STORK_MCP_TOKEN";
// Defaults when the agent names no base_url / api_key_env: OpenAI's own endpoint and key.
inline constexpr const char* kDefaultBaseUrl = "https://api.openai.com/v1";
inline constexpr const char* kDefaultKeyVariable = "OPENAI_API_KEY";

struct ConfigInput {
  std::optional<std::string> model;  // absent: the CLI's own default model
  std::optional<std::string> base_url;
  std::optional<std::string> api_key_env;
  std::string mcp_url;     // empty: no MCP server
  bool mcp_token = false;  // the server wants a bearer token (in kMcpTokenVariable)
  std::string agent_name;  // sent to stork's MCP as X-Stork-Agent, like Claude Code's .mcp.json
  std::string story_id;    // ... and X-Stork-Story
};

// The variable the run's API key is read from: api_key_env; without it OPENAI_API_KEY for
// OpenAI's own endpoint, and none for any other base_url (local servers need no key), as for
// the openai runtime.
std::optional<std::string> key_variable(const ConfigInput& input);

// config.toml, as TOML text:
//   model = <model>                      only when set
//   model_provider = "stork"             [model_providers.stork]: name, base_url (default
//                                        kDefaultBaseUrl), env_key = key_variable() if any,
//                                        wire_api = "responses", request_max_retries and
//                                        stream_max_retries = 0
//                                        (the CLI would sleep out a 429's retry-after silently,
//                                        into the inactivity timeout; stork blocks and
//                                        resumes the run instead, or fails it at once)
//   approval_policy = "never"            nobody answers questions of a non-interactive run
//   check_for_update_on_startup = false, [analytics] enabled = false, [features] plugins,
//                                        remote_plugin and apps = false (with them on, 0.171.0
//                                        runs `git ls-remote https://github.com/...` and
//                                        reports analytics at start)
//   [mcp_servers.storkit]                url, http_headers (X-Stork-Agent, X-Stork-Story),
//                                        bearer_token_env_var when mcp_token, and
//                                        omit_tools_from = ["deferred"]: the tools are in the
//                                        model's tool list from the first request (the
//                                        namespace mcp__storkit), not found through tool_search
std::string config_toml(const ConfigInput& input);

}  // namespace stork::codex
