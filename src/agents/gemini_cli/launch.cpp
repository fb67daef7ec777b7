#include "agents/gemini_cli/launch.hpp"

#include <boost/json.hpp>

namespace stork::gemini_cli {
namespace json = boost::json;

std::vector<std::string> gemini_cli_argv(const AgentConfig& agent, const LaunchInput& input) {
  std::vector<std::string> argv;
  argv.push_back(agent.command.value_or("gemini"));
  argv.insert(argv.end(),
              {"--output-format", "stream-json", "--skip-trust", "--approval-mode", "yolo"});
  if (input.model) argv.insert(argv.end(), {"-m", *input.model});
  if (input.resume_session) argv.insert(argv.end(), {"--resume", *input.resume_session});
  argv.insert(argv.end(), {"-p", ""});
  argv.insert(argv.end(), agent.args.begin(), agent.args.end());
  return argv;
}

std::string gemini_cli_settings(const AgentConfig& agent, const std::optional<McpServer>& mcp) {
  json::object settings{
      {"security", json::object{{"auth", json::object{{"selectedType", "gemini-api-key"}}}}},
      {"privacy", json::object{{"usageStatisticsEnabled", false}}},
      {"telemetry", json::object{{"enabled", false}}},
      {"general",
       json::object{{"enableAutoUpdate", false}, {"enableAutoUpdateNotification", false}}},
  };
  if (agent.max_turns) settings["model"] = json::object{{"maxSessionTurns", *agent.max_turns}};
  if (mcp) {
    json::object headers;
    for (const auto& [name, value] : mcp->headers)
      headers[name] = value;
    json::object server{{"httpUrl", mcp->url}, {"trust", true}};
    if (!headers.empty()) server["headers"] = std::move(headers);
    settings["mcpServers"] = json::object{{"storkit", std::move(server)}};
  }
  return json::serialize(settings) + "\n";
}

Result<McpServer, std::string> storkit_mcp_server(std::string_view mcp_json,
                                                  const std::string& agent,
                                                  const std::string& story) {
  boost::system::error_code ec;
  json::value config = json::parse(mcp_json, ec);
  if (ec) return fail("not JSON (" + ec.message() + ")");
  const json::value* url = nullptr;
  const json::object* storkit = nullptr;
  if (const auto* servers =
          config.is_object() ? config.as_object().if_contains("mcpServers") : nullptr;
      servers != nullptr && servers->is_object()) {
    if (const auto* entry = servers->as_object().if_contains("storkit");
        entry != nullptr && entry->is_object()) {
      storkit = &entry->as_object();
      url = storkit->if_contains("url");
    }
  }
  if (url == nullptr || !url->is_string() || url->as_string().empty())
    return fail(std::string("mcpServers.storkit.url is missing or not a string"));
  McpServer server{std::string(url->as_string()), {}};
  if (const auto* headers = storkit->if_contains("headers");
      headers != nullptr && headers->is_object()) {
    if (const auto* auth = headers->as_object().if_contains("Authorization");
        auth != nullptr && auth->is_string()) {
      server.headers.emplace_back("Authorization", std::string(auth->as_string()));
    }
  }
  server.headers.emplace_back("X-Stork-Agent", agent);
  server.headers.emplace_back("X-Stork-Story", story);
  return server;
}

}  // namespace stork::gemini_cli
