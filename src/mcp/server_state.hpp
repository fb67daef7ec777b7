// What a Server owns (internal): its strand, tools, options and sessions, plus the request
// handlers that work on it. Everything here runs on `strand` unless it says otherwise.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "mcp/call_state.hpp"
#include "mcp/exchange.hpp"
#include "mcp/server.hpp"
#include "mcp/session.hpp"

namespace stork::mcp {

struct Server::State {
  State(detail::Strand strand_in, ServerInfo info_in, std::shared_ptr<ToolRegistry> tools_in,
        Options options_in)
      : strand(std::move(strand_in)),
        info(std::move(info_in)),
        tools(std::move(tools_in)),
        options(options_in) {}

  detail::Strand strand;
  const ServerInfo info;
  const std::shared_ptr<ToolRegistry> tools;
  const Options options;
  SessionTable sessions;
  std::atomic<std::size_t> session_count{0};  // mirrors sessions.size() for other threads
  std::atomic<bool> stopping{false};          // the Server is gone: streams end
  ToolRegistry::ListenerId listener = 0;
  // tools/list's result as JSON text, kept until the registry changes (methods.cpp).
  std::shared_ptr<const std::string> tools_list_text;

  void sync_session_count() { session_count = sessions.size(); }
};

using ServerState = Server::State;

// The handlers of the three HTTP methods (post_handler.cpp, get_stream.cpp).
boost::asio::awaitable<Reply> handle_post(std::shared_ptr<ServerState> state,
                                          HttpExchange exchange);
boost::asio::awaitable<Reply> handle_get(std::shared_ptr<ServerState> state, HttpExchange exchange);
Reply handle_delete(ServerState& state, const HttpExchange& exchange);

// Messages to every session's GET stream (get_stream.cpp).
void broadcast_tools_changed(ServerState& state);
void broadcast_log(ServerState& state, int rank, const boost::json::value& message);

}  // namespace stork::mcp
