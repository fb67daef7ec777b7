// dispatch: a checked request to its response — the router's handler, a static file of the
// web UI, or a 404/405/400 JSON error. A handler that throws becomes a 500 (logged): handlers
// answer bad input with 4xx themselves, so a 500 always means a bug. Internal to the server.
#pragma once

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "http/request.hpp"
#include "http/response.hpp"

namespace stork::http::detail {

struct ServerCore;

struct Dispatched {
  Response response;
  std::string route_name;  // for metrics: the route's name, "static" or "unmatched"
};

boost::asio::awaitable<Dispatched> dispatch(const ServerCore& core, Request& request,
                                            const std::vector<std::string>& segments);

}  // namespace stork::http::detail
