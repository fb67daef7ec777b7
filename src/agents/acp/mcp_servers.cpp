// acp_mcp_servers (acp_client.hpp): the worktree's .mcp.json, written by stork for every
// worktree (git/worktree_mcp_config.hpp), read back as ACP's McpServer list, so an ACP agent
// reaches the same server with the same token and caller headers as Claude Code does.
#include <boost/json/parse.hpp>

#include "agents/acp/acp_client.hpp"
#include "base/file_io.hpp"

namespace stork::acp {
namespace json = boost::json;
namespace {

// Claude Code expands ${VAR:-} in .mcp.json headers from its environment; ACP agents take the
// values as they are, so stork expands the two it writes.
std::string expanded(std::string value, const std::string& agent, const std::string& story) {
  for (const auto& [variable, replacement] :
       {std::pair<std::string, std::string>{"${STORK_AGENT:-}", agent},
        std::pair<std::string, std::string>{"${STORK_STORY_ID:-}", story}}) {
    for (auto at = value.find(variable); at != std::string::npos; at = value.find(variable))
      value.replace(at, variable.size(), replacement);
  }
  return value;
}

}  // namespace

Result<json::array, std::string> acp_mcp_servers(const std::filesystem::path& mcp_json,
                                                 const std::string& agent,
                                                 const std::string& story) {
  auto text = read_file(mcp_json);
  if (!text) return fail(mcp_json.string() + ": " + text.error().message);
  boost::system::error_code ec;
  const json::value parsed = json::parse(*text, ec);
  if (ec) return fail(mcp_json.string() + ": not JSON (" + ec.message() + ")");
  const auto* servers = parsed.is_object() ? parsed.as_object().if_contains("mcpServers") : nullptr;
  const auto* storkit = servers != nullptr && servers->is_object()
                            ? servers->as_object().if_contains("storkit")
                            : nullptr;
  if (storkit == nullptr || !storkit->is_object())
    return fail(mcp_json.string() + ": no mcpServers.storkit entry");
  const auto* url = storkit->as_object().if_contains("url");
  if (url == nullptr || !url->is_string())
    return fail(mcp_json.string() + ": mcpServers.storkit.url is not a string");
  json::array headers;
  if (const auto* given = storkit->as_object().if_contains("headers");
      given && given->is_object()) {
    for (const auto& [name, value] : given->as_object()) {
      if (!value.is_string()) continue;
      headers.push_back(json::object{
          {"name", name}, {"value", expanded(std::string(value.as_string()), agent, story)}});
    }
  }
  return json::array{json::object{
      {"type", "http"}, {"name", "storkit"}, {"url", *url}, {"headers", std::move(headers)}}};
}

}  // namespace stork::acp
