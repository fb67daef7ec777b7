// GET /api/merge: the merge queue: the job running now, the items waiting, the latest results.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/routes.hpp"
#include "engine/pipeline.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

json::object job_json(const engine::MergeJobView& job) {
  return json::object{{"id", job.id},
                      {"story", job.story},
                      {"step", job.step},
                      {"detail", job.detail},
                      {"commit", job.commit ? json::value(*job.commit) : json::value(nullptr)},
                      {"updated_at_ms", job.updated_at_ms}};
}

asio::awaitable<http::Response> get_merge(ContextPtr context) {
  const auto status = co_await context->services().pipeline->merge_status();
  json::array queued;
  for (const auto& story : status.queued)
    queued.emplace_back(story);
  json::array recent;
  for (const auto& job : status.recent)
    recent.push_back(job_json(job));
  co_return json_response(
      200, json::object{{"running", status.running ? json::value(job_json(*status.running))
                                                   : json::value(nullptr)},
                        {"queued", std::move(queued)},
                        {"recent", std::move(recent)}});
}

}  // namespace

void add_merge_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "GET", "/api/merge", [context](http::Request&) { return get_merge(context); }, "merge");
}

}  // namespace stork::api
