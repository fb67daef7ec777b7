// Runs: GET /api/runs?story=&limit= (newest first) and GET /api/runs/{run}/events?after=&limit=
// (a page of one run's events; clients poll with after= the last seq they saw).
#include <map>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/event_json.hpp"
#include "api/item_lookup_async.hpp"
#include "api/json_body.hpp"
#include "api/routes.hpp"
#include "api/run_events.hpp"
#include "api/story_lookup.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

asio::awaitable<http::Response> list_runs(ContextPtr context, http::Request& request) {
  auto limit = integer_parameter(query_parameter(request, "limit"), "limit", 1, 1000);
  if (!limit.ok()) co_return to_response(limit.error());
  std::optional<std::string> story;
  if (const auto* text = query_parameter(request, "story")) {
    auto id = check_story_id(*text);
    if (!id.ok()) co_return to_response(id.error());
    story = id.value();
    if (story->find('_') == std::string::npos) {  // a number: the item says which id it is
      const std::string number = *story;
      auto resolved = co_await resolve_story(context, number);
      if (!resolved.ok()) co_return to_response(resolved.error());
      story = resolved.value();
    }
  }
  const auto count = static_cast<std::size_t>(limit.value().value_or(100));
  auto* api = context.get();
  auto read = [api, story, count] {
    return api->with_state([&](state::StateStore& store) -> ApiResult<json::array> {
      auto runs = store.runs(story, count);
      if (!runs.ok()) return fail(ApiContext::state_error(runs.error()));
      auto usage = store.token_usage(story);
      if (!usage.ok()) return fail(ApiContext::state_error(usage.error()));
      // Each run's own cost (null until its usage is recorded, at its end).
      std::map<std::int64_t, double> cost_by_run;
      for (const auto& record : usage.value())
        cost_by_run[record.run_id] += record.cost_usd;
      json::array out;
      for (const auto& run : runs.value()) {
        auto item = run_record_json(run);
        auto cost = cost_by_run.find(run.id);
        item["cost_usd"] = cost == cost_by_run.end() ? json::value(nullptr) : cost->second;
        out.push_back(std::move(item));
      }
      return out;
    });
  };
  auto runs = co_await context->offload(read);
  if (!runs.ok()) co_return to_response(runs.error());
  co_return json_response(200, json::object{{"runs", std::move(runs.value())}});
}

struct EventPage {
  state::RunRecord run;
  std::vector<state::EventRecord> events;
};

asio::awaitable<http::Response> run_events(ContextPtr context, http::Request& request) {
  const std::string run_text = request.path_params["run"];
  auto run_id = integer_parameter(&run_text, "run", 1, std::numeric_limits<std::int64_t>::max());
  if (!run_id.ok()) {
    co_return to_response(ApiError{
        400, "invalid_id", "invalid run id '" + run_text + "': expected a positive integer"});
  }
  auto after = integer_parameter(query_parameter(request, "after"), "after", 0,
                                 std::numeric_limits<std::int64_t>::max());
  if (!after.ok()) co_return to_response(after.error());
  auto limit = integer_parameter(query_parameter(request, "limit"), "limit", 1, 10000);
  if (!limit.ok()) co_return to_response(limit.error());
  const std::int64_t id = *run_id.value();
  auto* api = context.get();
  auto read_run = [api, id] {
    return api->with_state([id](state::StateStore& store) -> ApiResult<state::RunRecord> {
      auto run = store.run(id);
      if (!run.ok()) return fail(ApiContext::state_error(run.error()));
      if (!run.value()) return fail(not_found("no run " + std::to_string(id)));
      return std::move(*run.value());
    });
  };
  auto run = co_await context->offload(read_run);
  if (!run.ok()) co_return to_response(run.error());
  // The run was read first: if it had ended, its last events were emitted before, and the
  // flush makes them readable now.
  const std::string story = run.value().story;
  const std::string agent = run.value().agent;
  co_await flush_pool_events(*context->services().pool, story, agent);
  const std::int64_t from = after.value().value_or(0);
  const auto count = static_cast<std::size_t>(limit.value().value_or(1000));
  auto read_events = [api, id, from, count] {
    return api->with_state(
        [&](state::StateStore& store) -> ApiResult<std::vector<state::EventRecord>> {
          auto events = store.events_after(id, from, count);
          if (!events.ok()) return fail(ApiContext::state_error(events.error()));
          return std::move(events.value());
        });
  };
  auto events = co_await context->offload(read_events);
  if (!events.ok()) co_return to_response(events.error());
  json::array out;
  std::int64_t last_seq = from;
  for (const auto& event : events.value()) {
    out.push_back(run_event_json(event));
    last_seq = event.seq;
  }
  // Nothing more will come: the run has ended and this page reached its end.
  const bool complete = state::is_final(run.value().state) && events.value().size() < count;
  co_return json_response(200, json::object{{"run", run_record_json(run.value())},
                                            {"events", std::move(out)},
                                            {"last_seq", last_seq},
                                            {"complete", complete}});
}

}  // namespace

void add_run_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "GET", "/api/runs", [context](http::Request& request) { return list_runs(context, request); },
      "runs");
  router.add(
      "GET", "/api/runs/{run}/events",
      [context](http::Request& request) { return run_events(context, request); }, "run_events");
}

}  // namespace stork::api
