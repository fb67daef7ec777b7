// The MCP methods this server implements (internal): initialize, ping, tools/list,
// tools/call, logging/setLevel and the notifications initialized and cancelled. Each turns
// one classified JSON-RPC message into its response; all run on the server's strand.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "mcp/call_state.hpp"
#include "mcp/jsonrpc.hpp"
#include "mcp/server_state.hpp"
#include "mcp/stream_channel.hpp"

namespace stork::mcp {

bool is_known_request(std::string_view method);
bool is_known_notification(std::string_view method);

// The reply a POST's requests share: the stream their notifications go to (null for a JSON
// reply) and the calls running for it (cancelled when the client goes).
struct RequestScope {
  std::shared_ptr<StreamChannel> channel;
  std::vector<std::weak_ptr<detail::CallState>> calls;
  CallerIdentity caller;  // from the POST's headers
  void cancel_calls();
};

// initialize: the response, and the new session (null when the request was invalid).
boost::json::value answer_initialize(ServerState& state, const jsonrpc::Message& request,
                                     std::shared_ptr<Session>& created);

// Any other known request. No value: the request was cancelled and its reply is a stream,
// where the spec asks for no response.
boost::asio::awaitable<std::optional<boost::json::value>> answer_request(
    std::shared_ptr<ServerState> state, std::shared_ptr<Session> session, jsonrpc::Message request,
    std::shared_ptr<RequestScope> scope);

void handle_notification(Session& session, const jsonrpc::Message& notification);

// tools/list's `result` ({"tools":[...]}) as JSON text, rendered once per registry change:
// every agent asks for it first and often, and rebuilding it copies every tool's schema.
const std::string& tools_list_result_text(ServerState& state);

}  // namespace stork::mcp
