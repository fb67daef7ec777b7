#include "config/server_config_reader.hpp"

#include <algorithm>
#include <cctype>

#include "config/notify_config_loader.hpp"
#include "config/server_limits_reader.hpp"

namespace stork::config_detail {
namespace {

// A host name or an address as it appears in a Host header, without a port.
bool is_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == ':' || c == '[' || c == ']';
  });
}

bool is_env_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

void read_hosts(TableReader& table, std::string_view key, std::vector<std::string>& out) {
  auto names = table.string_list(key);
  if (!names) return;
  for (const auto& name : *names) {
    if (!is_host_name(name)) {
      table.error(key, "'" + table.field_name(key) + "' has '" + name +
                           "', which is not a host name or an address (no scheme, port or path)");
    } else {
      out.push_back(name);
    }
  }
}

}  // namespace

void read_server_config(TableReader& root, const std::string& file, std::vector<Diagnostic>& out,
                        ServerConfig& config) {
  const toml::table* found = root.table("server");
  if (found == nullptr) return;
  TableReader table(*found, "server", file, out);
  read_hosts(table, "allowed_hosts", config.allowed_hosts);
  read_hosts(table, "trusted_proxies", config.trusted_proxies);
  if (auto env = table.string("viewer_token_env")) {
    if (is_env_name(*env)) {
      config.viewer_token_env = *env;
    } else {
      table.error("viewer_token_env", "'" + table.field_name("viewer_token_env") +
                                          "' must be an environment variable name, got '" + *env +
                                          "'");
    }
  }
  if (auto hours = table.integer("session_hours")) {
    if (*hours < 1 || *hours > 8760) {
      table.error("session_hours", "'" + table.field_name("session_hours") +
                                       "' must be between 1 and 8760, got " +
                                       std::to_string(*hours));
    } else {
      config.session_hours = static_cast<int>(*hours);
    }
  }
  if (auto url = table.string("public_url")) {
    if (!is_http_url(*url)) {
      table.error("public_url",
                  "'server.public_url' must start with http:// or https://, got '" + *url + "'");
    } else {
      while (!url->empty() && url->back() == '/')
        url->pop_back();
      config.public_url = *url;
    }
  }
  ServerLimits limits;  // checked here with the rest; the app reads them (server_limits.hpp)
  read_server_limits(table, limits);
  config.tls_cert = table.string("tls_cert");
  config.tls_key = table.string("tls_key");
  if (config.tls_cert.has_value() != config.tls_key.has_value()) {
    table.error(config.tls_cert ? "tls_cert" : "tls_key",
                "'server.tls_cert' and 'server.tls_key' go together: set both or neither");
  }
  table.finish();
}

}  // namespace stork::config_detail
