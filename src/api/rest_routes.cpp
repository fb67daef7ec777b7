#include "api/api_services.hpp"
#include "http/router.hpp"

namespace stork::api {

void add_pipeline_routes(http::Router& router, const ApiServices& services);

void add_rest_routes(http::Router& router, const ApiServices& services) {
  add_pipeline_routes(router, services);
  // Unknown /api paths are JSON errors, never the web UI's index.html.
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    router.add(
        method, "/api/*",
        [](http::Request& request) -> boost::asio::awaitable<http::Response> {
          co_return http::Response::error(404, "not_found", "no such API route: " + request.path);
        },
        "api_unknown");
  }
}

}  // namespace stork::api
