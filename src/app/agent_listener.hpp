// The agents' own listener under TLS. Agents started by stork (Claude Code and the other Node
// CLIs) reach stork's MCP endpoint at the URL written into their worktree's .mcp.json; with a
// self-signed certificate they cannot verify https://, and teaching each CLI a CA (e.g.
// NODE_EXTRA_CA_CERTS) still fails when the certificate names the public host rather than
// 127.0.0.1. So under TLS stork also listens on 127.0.0.1 (a free port), plain HTTP, serving
// only /mcp and /healthz, with the same bearer token: nothing leaves the machine, and the
// agents are given this URL. docs/remote.md.
#pragma once

#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "app/app.hpp"
#include "base/result.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace stork::app {

// Binds 127.0.0.1:0 with `main`'s token and limits; `mcp` answers /mcp, `health` /healthz.
Result<std::unique_ptr<http::Server>, AppError> open_agent_listener(
    boost::asio::any_io_executor executor, const http::ServerOptions& main, http::Handler mcp,
    http::Handler health, std::shared_ptr<http::Metrics> metrics);

}  // namespace stork::app
