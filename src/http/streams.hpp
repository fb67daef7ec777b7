// The two long-lived kinds of response a connection can turn into: an SSE stream (the
// connection keeps the socket and writes events as chunks) and a WebSocket session (the
// socket moves into it). Internal to the server; Beast types are fine here.
#pragma once

#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "http/request.hpp"
#include "http/response.hpp"
#include "http/ws_client.hpp"

namespace stork::http::detail {

struct ServerCore;
class ConnectionControl;

// A connection's stream: plain TCP, or TLS over it (--tls-cert). Both are instantiated in
// connection.cpp, sse_stream.cpp and ws_session.cpp.
using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// Writes the SSE header and then the events until the stream ends or the client goes away.
// The caller closes the connection afterwards.
template <class Stream>
boost::asio::awaitable<void> run_sse(ConnectionControl& control, Stream& stream, Response response,
                                     unsigned http_version);

// Accepts the upgrade and runs the session until it closes; on_close has run when it returns.
template <class Stream>
boost::asio::awaitable<void> run_websocket(
    std::shared_ptr<ServerCore> core, std::shared_ptr<ConnectionControl> control, Stream stream,
    boost::beast::http::request<boost::beast::http::string_body> upgrade, Request request,
    WsHandler handler);

}  // namespace stork::http::detail
