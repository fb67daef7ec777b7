// ServerConfig: the [server] table of project.toml, the settings of `stork serve` for people
// who open the board from another machine (docs/remote.md). Command-line flags add to these
// (lists) or override them (single values). Plain data; read by config_loader.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace stork {

struct ServerConfig {
  std::vector<std::string> allowed_hosts;       // names accepted in Host/Origin besides defaults
  std::optional<std::string> viewer_token_env;  // environment variable with the read-only token
  int session_hours = 168;                      // a board login lasts this long (1 to 8760)
  std::optional<std::string> tls_cert;          // PEM files, relative to the project root
  std::optional<std::string> tls_key;
  std::vector<std::string> trusted_proxies;  // addresses whose X-Forwarded-* headers count
  // Where people open the board (no trailing slash): the links in notifications.
  std::optional<std::string> public_url;
};

}  // namespace stork
