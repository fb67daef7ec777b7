#include "app/remote_options.hpp"

#include <algorithm>
#include <cstdlib>

#include <spdlog/spdlog.h>

#include "http/host_names.hpp"

namespace stork::app {
namespace {

void append(std::vector<std::string>& to, const std::vector<std::string>& more) {
  for (const auto& value : more) {
    if (std::find(to.begin(), to.end(), value) == to.end()) to.push_back(value);
  }
}

AppError usage(std::string message) {
  return AppError{AppError::Kind::Usage, std::move(message)};
}

std::string url_host(const std::string& address) {
  return address.find(':') != std::string::npos ? "[" + address + "]" : address;
}

std::string url_of(const std::string& scheme, const std::string& host, const std::string& suffix) {
  std::string url = scheme;
  url += "://";
  url += host;
  url += suffix;
  return url;
}

}  // namespace

Result<void, AppError> apply_remote_options(const AppOptions& options, const ServerConfig& config,
                                            http::ServerOptions& server) {
  append(server.allowed_hosts, options.allowed_hosts);
  append(server.allowed_hosts, config.allowed_hosts);
  append(server.trusted_proxies, options.trusted_proxies);
  append(server.trusted_proxies, config.trusted_proxies);
  server.session_lifetime =
      std::chrono::hours(options.session_hours.value_or(config.session_hours));
  server.viewer_token = options.viewer_token;
  if (!server.viewer_token && config.viewer_token_env) {
    const char* value = std::getenv(config.viewer_token_env->c_str());
    if (value == nullptr || *value == '\0') {
      return fail(usage("project.toml [server] viewer_token_env names " + *config.viewer_token_env +
                        ", which is not set in the environment"));
    }
    server.viewer_token = value;
  }
  if (server.viewer_token) {
    if (server.viewer_token->empty()) server.viewer_token.reset();
  }
  if (server.viewer_token && (!options.token || options.token->empty()))
    return fail(usage("a viewer token needs an admin token too: pass --token (or STORK_TOKEN)"));
  if (server.viewer_token && options.token && *server.viewer_token == *options.token)
    return fail(usage("the viewer token must differ from the admin token"));
  server.tls_cert = options.tls_cert;
  server.tls_key = options.tls_key;
  if (server.tls_cert.empty() && server.tls_key.empty() && config.tls_cert && config.tls_key) {
    // Relative to the project root, like every path in project.toml.
    server.tls_cert = options.project_root / *config.tls_cert;
    server.tls_key = options.project_root / *config.tls_key;
  }
  if (server.tls_cert.empty() != server.tls_key.empty())
    return fail(usage("--tls-cert and --tls-key go together: pass both or neither"));
  if (!http::is_loopback_host(options.host) && server.tls_cert.empty()) {
    spdlog::warn(
        "serving plain HTTP on {}, which is not a loopback address: the token and the board's "
        "session cookie cross the network in clear text. Put TLS in front (a reverse proxy, "
        "docs/remote.md) or pass --tls-cert and --tls-key",
        options.host);
  }
  return {};
}

std::vector<std::string> serve_urls(const std::string& host, unsigned short port,
                                    const std::string& scheme) {
  const std::string suffix = ":" + std::to_string(port) + "/";
  std::vector<std::string> urls;
  if (!http::is_unspecified_host(host)) {
    urls.push_back(url_of(scheme, url_host(host), suffix));
    return urls;
  }
  auto addresses = http::interface_addresses();
  std::stable_partition(addresses.begin(), addresses.end(),
                        [](const std::string& address) { return http::is_loopback_host(address); });
  const bool v6_listener = host.find(':') != std::string::npos;
  for (const auto& address : addresses) {
    if (!v6_listener && address.find(':') != std::string::npos) continue;
    urls.push_back(url_of(scheme, url_host(address), suffix));
  }
  if (auto name = http::machine_host_name(); !name.empty())
    urls.push_back(url_of(scheme, name, suffix));
  return urls;
}

}  // namespace stork::app
