// The remote-access settings of `stork serve` (docs/remote.md), from the command line and
// project.toml's [server] table, turned into the HTTP server's options; and the URLs people
// can open. Private to the app module.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "base/result.hpp"
#include "config/server_config.hpp"
#include "http/server.hpp"

namespace stork::app {

// Lists add up (flags first); single values come from the flag, else the file. Refuses a
// viewer token without an admin token or equal to it, and a viewer_token_env that is unset.
Result<void, AppError> apply_remote_options(const AppOptions& options, const ServerConfig& config,
                                            http::ServerOptions& server);

// "SCHEME://HOST:PORT/" for the bound host, or for every interface when bound to all of them
// (loopback first), IPv6 in brackets.
std::vector<std::string> serve_urls(const std::string& host, unsigned short port,
                                    const std::string& scheme);

}  // namespace stork::app
