// The local listener under TLS. Agents started by stork (Claude Code and the other Node CLIs)
// reach stork's MCP endpoint at the URL written into their worktree's .mcp.json, and the CLI's
// client commands and its edits through a running server find it in the project's .mcp.json.
// With a self-signed certificate the agents cannot verify https://, teaching each CLI a CA
// (e.g. NODE_EXTRA_CA_CERTS) still fails when the certificate names the public host rather
// than 127.0.0.1, and the stork CLI speaks plain HTTP. So under TLS stork also listens on
// 127.0.0.1 (a free port), plain HTTP, with the same routes and bearer token but no board (no
// static files, no /ws): nothing on it leaves the machine, and .mcp.json names it.
// docs/remote.md.
#pragma once

#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "app/app.hpp"
#include "base/result.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace stork::app {

// Binds 127.0.0.1:0 with `main`'s token and limits and serves `router` there; `budget` is
// the main server's (one outbound budget and connection count for both).
Result<std::unique_ptr<http::Server>, AppError> open_local_listener(
    boost::asio::any_io_executor executor, const http::ServerOptions& main, http::Router router,
    std::shared_ptr<http::OutboundBudget> budget, std::shared_ptr<http::Metrics> metrics);

}  // namespace stork::app
