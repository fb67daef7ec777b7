// DeferredRoutes: routes under one prefix that are registered after the server is listening.
// The HTTP server takes its Router when it is built, but the REST routes need the agent pool,
// and the pool needs the server's bound port (its MCP URL), so the server gets a catch-all
// route for the prefix ("/api/*") whose handler calls dispatch() here. Filled in once,
// before the io_context runs any handler; read-only afterwards, so it needs no lock.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "http/router.hpp"

namespace stork::app {

class DeferredRoutes {
 public:
  // The router to fill in; call before any request can arrive.
  http::Router& router() { return router_; }

  // Routes the request as the server would (404, 405 with Allow, path parameters); 503 while
  // nothing is registered yet.
  boost::asio::awaitable<http::Response> dispatch(http::Request& request) const;

 private:
  http::Router router_;
};

}  // namespace stork::app
