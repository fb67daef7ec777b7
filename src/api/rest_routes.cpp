#include <boost/json/serialize.hpp>

#include "api/api_context.hpp"
#include "api/api_services.hpp"
#include "api/routes.hpp"
#include "base/json_text.hpp"

namespace stork::api {

http::Response json_response(unsigned status, const boost::json::value& body) {
  return http::Response::json(status, json_text(body));
}

void add_rest_routes(http::Router& router, const ApiServices& services) {
  auto context = std::make_shared<ApiContext>(services);
  add_pipeline_routes(router, context);
  add_item_routes(router, context);
  add_item_action_routes(router, context);
  add_diff_routes(router, context);
  add_gate_routes(router, context);
  add_agent_routes(router, context);
  add_run_routes(router, context);
  add_merge_routes(router, context);
  add_event_routes(router, context);
  add_usage_routes(router, context);
  add_notification_routes(router, context);
  add_permission_routes(router, context);
  add_message_routes(router, context);
  add_chat_routes(router, context);
  add_wizard_routes(router, context);
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
