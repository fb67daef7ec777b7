#include "mcp/replies.hpp"

#include <boost/json/serialize.hpp>

#include "base/json_text.hpp"
#include "mcp/jsonrpc.hpp"
#include "mcp/protocol_rules.hpp"

namespace stork::mcp {

Reply json_reply(unsigned status, const boost::json::value& body) {
  Reply reply;
  reply.status = status;
  reply.body = json_text(body);
  return reply;
}

Reply error_reply(unsigned status, int code, std::string message) {
  jsonrpc::Error error{code, std::move(message), nullptr};
  return json_reply(status, jsonrpc::error_response(nullptr, error));
}

Reply empty_reply(unsigned status) {
  Reply reply;
  reply.status = status;
  reply.content_type.clear();
  return reply;
}

SessionCheck require_session(ServerState& state, const HttpExchange& exchange,
                             unsigned missing_status) {
  SessionCheck check;
  std::string id = exchange.header("mcp-session-id");
  if (id.empty()) {
    std::string message =
        "Bad Request: Mcp-Session-Id header is required; send the id from the initialize "
        "response's Mcp-Session-Id header, or send initialize first to start a session";
    check.failure = error_reply(missing_status, jsonrpc::kInvalidRequest, std::move(message));
    if (missing_status == 405) check.failure->headers.emplace_back("Allow", "POST, DELETE");
    return check;
  }
  auto now = Clock::now();
  state.sessions.sweep(now, state.options.session_idle_timeout);
  state.sync_session_count();
  auto session = state.sessions.find(id);
  if (!session) {
    check.failure = error_reply(
        404, jsonrpc::kInvalidRequest,
        "Session not found: Mcp-Session-Id " + id +
            " is unknown, ended or expired; send initialize without Mcp-Session-Id to start a "
            "new session");
    return check;
  }
  std::string version = exchange.header("mcp-protocol-version");
  if (!version.empty() && !is_supported_protocol_version(version)) {
    check.failure = error_reply(400, jsonrpc::kInvalidRequest,
                                "Bad Request: unsupported MCP-Protocol-Version " + version +
                                    "; send one of " + supported_protocol_versions_text() +
                                    " (the version initialize negotiated)");
    return check;
  }
  session->last_seen = now;
  check.session = std::move(session);
  return check;
}

}  // namespace stork::mcp
