// GET /api/usage?by=item|agent|model|day: token usage and cost summed per group, with totals.
#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/routes.hpp"
#include "ops/usage_report.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

using ops::parse_usage_grouping;
using ops::summarize_usage;
using ops::UsageGrouping;
using ops::UsageReport;

asio::awaitable<http::Response> get_usage(ContextPtr context, http::Request& request) {
  UsageGrouping grouping = UsageGrouping::Item;
  if (auto by = request.query.find("by"); by != request.query.end()) {
    auto parsed = parse_usage_grouping(by->second);
    if (!parsed) {
      co_return to_response(
          invalid_parameter("by", "expected item, agent, model or day, got '" + by->second + "'"));
    }
    grouping = *parsed;
  }
  auto* api = context.get();
  auto read = [api, grouping] {
    return api->with_state([grouping](state::StateStore& store) -> ApiResult<UsageReport> {
      auto records = store.token_usage();
      if (!records.ok()) return fail(ApiContext::state_error(records.error()));
      return summarize_usage(records.value(), grouping);
    });
  };
  auto report = co_await context->offload(read);
  if (!report.ok()) co_return to_response(report.error());
  co_return json_response(200, ops::usage_report_json(report.value(), grouping));
}

}  // namespace

void add_usage_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "GET", "/api/usage",
      [context](http::Request& request) { return get_usage(context, request); }, "usage");
}

}  // namespace stork::api
