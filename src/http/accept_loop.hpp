// The server's accept loop: each accepted socket becomes a connection coroutine on its own
// strand. It also keeps the server answering under pressure (docs/serve.md, "Slow clients"):
// past [server] max_connections a new connection gets a short 503 and is closed; when the
// process is out of file descriptors, waiting connections are accepted with a spare descriptor
// and closed (FdReserve) instead of failing accept in a loop, logged once per burst; and after
// a burst of disconnects free memory goes back to the system (MemoryTrim).
// Internal to the server.
#pragma once

#include <memory>

#include <boost/asio/awaitable.hpp>

namespace stork::http::detail {

struct ServerCore;

boost::asio::awaitable<void> accept_loop(std::shared_ptr<ServerCore> core);

}  // namespace stork::http::detail
