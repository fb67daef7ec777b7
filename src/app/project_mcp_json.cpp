#include "app/project_mcp_json.hpp"

#include <system_error>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "base/file_io.hpp"
#include "git/worktree_mcp_config.hpp"

namespace stork::app {
namespace json = boost::json;

namespace {

// The storkit entry's URL, or "" when there is none.
std::string storkit_url(const json::value& config) {
  const auto* servers = config.as_object().if_contains("mcpServers");
  if (servers == nullptr || !servers->is_object()) return {};
  const auto* storkit = servers->as_object().if_contains("storkit");
  if (storkit == nullptr || !storkit->is_object()) return {};
  const auto* url = storkit->as_object().if_contains("url");
  return url != nullptr && url->is_string() ? std::string(url->as_string()) : std::string();
}

// The file with only the storkit URL changed, so a committed, hand-formatted file keeps its
// formatting and its diff is one line; empty when the old URL is not there exactly once.
std::string with_url_replaced(const std::string& text, const std::string& old_url,
                              const std::string& url) {
  if (old_url.empty()) return {};
  const std::string quoted = "\"" + old_url + "\"";
  const auto at = text.find(quoted);
  if (at == std::string::npos || text.find(quoted, at + 1) != std::string::npos) return {};
  std::string replaced = text;
  replaced.replace(at, quoted.size(), json::serialize(json::value(url)));
  return replaced;
}

}  // namespace

Result<McpJsonUpdate, std::string> point_project_mcp_json(const std::filesystem::path& project_root,
                                                          const std::string& url) {
  const auto path = project_root / ".mcp.json";
  std::string existing;
  std::error_code exists_error;
  if (std::filesystem::exists(path, exists_error)) {
    auto read = read_file(path);
    if (!read) return fail(read.error().message);
    existing = std::move(*read);
    std::error_code parse_error;
    auto config = json::parse(existing, parse_error);
    if (parse_error || !config.is_object()) {
      return fail(path.string() + " is not a JSON object; left unchanged. Add this server by " +
                  "hand: \"storkit\": {\"type\": \"http\", \"url\": \"" + url + "\"}");
    }
    const auto old_url = storkit_url(config);
    if (old_url == url) return McpJsonUpdate::Unchanged;
    if (auto replaced = with_url_replaced(existing, old_url, url); !replaced.empty()) {
      if (auto written = write_file_atomic(path, replaced); !written)
        return fail(written.error().message);
      return McpJsonUpdate::Written;
    }
  }
  if (auto written = write_file_atomic(path, merged_mcp_config(existing, url)); !written) {
    return fail(written.error().message);
  }
  return McpJsonUpdate::Written;
}

}  // namespace stork::app
