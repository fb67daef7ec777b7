// ServerLimits: [server] max_connections and outbound_budget_mb in project.toml, the slow-client
// limits of `stork serve` (docs/serve.md, "Slow clients"). The config loader checks them with
// the rest of [server] (a bad value is an error at its line); the app reads them when it
// starts the server. They are kept out of ServerConfig, a header most of the tree includes, so
// that a change to them rebuilds two files rather than every module.
#pragma once

#include <filesystem>

#include <toml++/toml.h>

namespace stork {

struct ServerLimits {
  int max_connections = 512;    // open connections at most (1 to 1,000,000)
  int outbound_budget_mb = 64;  // all clients' unsent data together, MiB (1 to 65536)
};

// The limits in `toml_file`'s [server] table; the defaults for a missing file or table, and
// for a value the loader reports as an error.
ServerLimits load_server_limits(const std::filesystem::path& toml_file);

}  // namespace stork
