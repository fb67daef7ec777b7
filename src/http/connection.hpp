// One accepted TCP connection: reads requests (keep-alive and pipelining as Beast does them),
// applies the security checks, dispatches, writes responses; hands the socket over to an SSE
// stream or a WebSocket session when the request asks for one. Internal to the server.
#pragma once

#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace stork::http::detail {

struct ServerCore;

// Runs on the socket's executor, which must be a strand of its own.
boost::asio::awaitable<void> run_connection(std::shared_ptr<ServerCore> core,
                                            boost::asio::ip::tcp::socket socket);

}  // namespace stork::http::detail
