// GET /api/events?after=&limit=: the pipeline's events from its journal, oldest first, for a
// client that polls instead of holding a WebSocket open.
#include <limits>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/event_json.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

asio::awaitable<http::Response> get_events(ContextPtr context, http::Request& request) {
  auto after = integer_parameter(query_parameter(request, "after"), "after", 0,
                                 std::numeric_limits<std::int64_t>::max());
  if (!after.ok()) co_return to_response(after.error());
  auto limit = integer_parameter(query_parameter(request, "limit"), "limit", 1, 10000);
  if (!limit.ok()) co_return to_response(limit.error());
  const std::int64_t from = after.value().value_or(0);
  const auto count = static_cast<std::size_t>(limit.value().value_or(1000));
  const auto events = co_await context->services().pipeline->events_after(from, count);
  json::array out;
  std::int64_t last_seq = from;
  for (const auto& event : events) {
    out.push_back(pipeline_event_json(event));
    last_seq = event.seq;
  }
  co_return json_response(200, json::object{{"events", std::move(out)}, {"last_seq", last_seq}});
}

}  // namespace

void add_event_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "GET", "/api/events",
      [context](http::Request& request) { return get_events(context, request); }, "events");
}

}  // namespace stork::api
