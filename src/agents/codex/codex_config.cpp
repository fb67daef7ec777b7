#include "agents/codex/codex_config.hpp"

#include <sstream>

#include <toml++/toml.h>

namespace stork::codex {

std::optional<std::string> key_variable(const ConfigInput& input) {
  if (input.api_key_env) return input.api_key_env;
  if (input.base_url) return std::nullopt;
  return kDefaultKeyVariable;
}

std::string config_toml(const ConfigInput& input) {
  toml::table root;
  if (input.model) root.insert("model", *input.model);
  root.insert("model_provider", "stork");
  root.insert("approval_policy", "never");
  root.insert("check_for_update_on_startup", false);
  root.insert("analytics", toml::table{{"enabled", false}});
  root.insert("features",
              toml::table{{"plugins", false}, {"remote_plugin", false}, {"apps", false}});

  toml::table provider{{"name", "stork"},
                       {"base_url", input.base_url.value_or(kDefaultBaseUrl)},
                       {"wire_api", "responses"},
                       {"request_max_retries", 0},
                       {"stream_max_retries", 0}};
  if (auto variable = key_variable(input)) provider.insert("env_key", *variable);
  root.insert("model_providers", toml::table{{"stork", std::move(provider)}});

  if (!input.mcp_url.empty()) {
    // Not "deferred": 0.171.0 otherwise hides every MCP tool behind its tool_search tool, and
    // the model would have to search before it knew that report_completion exists.
    toml::table storkit{{"url", input.mcp_url}, {"omit_tools_from", toml::array{"deferred"}}};
    storkit.insert("http_headers", toml::table{{"X-Stork-Agent", input.agent_name},
                                               {"X-Stork-Story", input.story_id}});
    if (input.mcp_token) storkit.insert("bearer_token_env_var", kMcpTokenVariable);
    root.insert("mcp_servers", toml::table{{"storkit", std::move(storkit)}});
  }
  std::ostringstream out;
  out << root << "\n";
  return out.str();
}

}  // namespace stork::codex
