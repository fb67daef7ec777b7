// McpEndpoint: puts an mcp::Server on an HTTP route. It turns each request at /mcp into an
// mcp::HttpExchange, and the Reply back into a Response; a streamed reply becomes an SSE
// response whose events the reply's coroutine writes through an EventStream. It keeps count of
// those coroutines, because the mcp::Server must outlive them: shutdown ends the streams and
// waits here before the server is destroyed.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "http/request.hpp"
#include "http/response.hpp"

namespace stork::mcp {
class Server;
}

namespace stork::app {

class McpEndpoint {
 public:
  // Stream coroutines run on `executor`; `server` must outlive every stream (see drain()).
  McpEndpoint(boost::asio::any_io_executor executor, mcp::Server& server);
  ~McpEndpoint();
  McpEndpoint(const McpEndpoint&) = delete;
  McpEndpoint& operator=(const McpEndpoint&) = delete;

  // POST, GET and DELETE /mcp (the server answers other methods with 405).
  boost::asio::awaitable<http::Response> handle(http::Request& request);

  // Streams whose coroutine has not returned yet.
  std::size_t open_streams() const;

  // Ends every open stream and waits until their coroutines have returned, at most `grace`.
  // True when none is left.
  boost::asio::awaitable<bool> drain(std::chrono::milliseconds grace);

 private:
  struct Streams;
  boost::asio::any_io_executor executor_;
  mcp::Server& server_;
  std::shared_ptr<Streams> streams_;
};

}  // namespace stork::app
