// GET /api/merge: the merge queue: the job running now, the items waiting, the latest results.
#include "api/api_context.hpp"
#include "api/routes.hpp"
#include "engine/pipeline.hpp"
#include "ops/merge_json.hpp"

namespace stork::api {
namespace asio = boost::asio;

namespace {

asio::awaitable<http::Response> get_merge(ContextPtr context) {
  const auto status = co_await context->services().pipeline->merge_status();
  co_return json_response(200, ops::merge_status_json(status));
}

}  // namespace

void add_merge_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "GET", "/api/merge", [context](http::Request&) { return get_merge(context); }, "merge");
}

}  // namespace stork::api
