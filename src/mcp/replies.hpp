// HTTP replies of the MCP endpoint that are not tool results (internal): JSON bodies, JSON-RPC
// errors without an id for transport-level failures, and the session gate every method but
// initialize passes through.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "mcp/exchange.hpp"
#include "mcp/server_state.hpp"

namespace stork::mcp {

Reply json_reply(unsigned status, const boost::json::value& body);
// A JSON-RPC error response with "id": null as the body.
Reply error_reply(unsigned status, int code, std::string message);
Reply empty_reply(unsigned status);

struct SessionCheck {
  std::shared_ptr<Session> session;  // set on success
  std::optional<Reply> failure;      // set otherwise
};

// Finds the session the Mcp-Session-Id header names (after sweeping expired ones) and checks
// the MCP-Protocol-Version header. A missing header answers `missing_status` (400 for POST
// and DELETE, 405 for GET); an unknown or expired session 404; an unsupported version 400.
// Success marks the session as used now.
SessionCheck require_session(ServerState& state, const HttpExchange& exchange,
                             unsigned missing_status);

}  // namespace stork::mcp
