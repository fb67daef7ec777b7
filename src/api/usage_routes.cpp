// GET /api/usage?by=item|agent|model|day: token usage and cost summed per group, with totals.
#include <boost/json/array.hpp>
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
using ops::UsageTotals;

json::object totals_json(const UsageTotals& totals) {
  return json::object{{"key", totals.key},
                      {"input_tokens", totals.input_tokens},
                      {"output_tokens", totals.output_tokens},
                      {"cache_creation_input_tokens", totals.cache_creation_input_tokens},
                      {"cache_read_input_tokens", totals.cache_read_input_tokens},
                      {"cost_usd", totals.cost_usd},
                      {"runs", totals.runs},
                      {"records", totals.records}};
}

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
  json::array rows;
  for (const auto& row : report.value().rows)
    rows.push_back(totals_json(row));
  json::object total = totals_json(report.value().total);
  total.erase("key");
  co_return json_response(200, json::object{{"by", to_string(grouping)},
                                            {"rows", std::move(rows)},
                                            {"total", std::move(total)}});
}

}  // namespace

void add_usage_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "GET", "/api/usage",
      [context](http::Request& request) { return get_usage(context, request); }, "usage");
}

}  // namespace stork::api
