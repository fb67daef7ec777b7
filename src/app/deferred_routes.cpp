#include "app/deferred_routes.hpp"

namespace stork::app {

boost::asio::awaitable<http::Response> DeferredRoutes::dispatch(http::Request& request) const {
  if (router_.empty()) {
    co_return http::Response::error(503, "starting", "the server is still starting");
  }
  // The same answers the server gives for its own routes (docs/http.md "Routing").
  http::RouteMatch match = router_.match(request.method, request.path);
  if (match.kind == http::RouteMatch::Kind::NotFound) {
    co_return http::Response::error(404, "not_found",
                                    "no route for " + request.method + " " + request.path);
  }
  if (match.kind == http::RouteMatch::Kind::MethodNotAllowed) {
    auto response = http::Response::error(405, "method_not_allowed",
                                          request.method + " is not allowed on " + request.path);
    response.headers.emplace_back("Allow", match.allow);
    co_return response;
  }
  request.path_params = std::move(match.params);
  co_return co_await (*match.handler)(request);
}

}  // namespace stork::app
