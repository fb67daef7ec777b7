// GET /api/pipeline: every stage with its items and their flags.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/api_services.hpp"
#include "http/router.hpp"
#include "work/stage_store.hpp"

namespace stork::api {
namespace json = boost::json;

namespace {

json::object item_json(const WorkItem& item) {
  json::object flags{{"blocked", item.blocked()},
                     {"review_hold", item.review_hold()},
                     {"retry_count", item.retry_count()}};
  if (auto failure = item.merge_failure()) flags["merge_failure"] = *failure;
  if (auto reason = item.blocked_reason()) flags["blocked_reason"] = *reason;
  json::array depends;
  for (const auto& dependency : item.depends_on())
    depends.emplace_back(dependency);
  return json::object{{"id", item.id.str()},
                      {"number", item.id.number},
                      {"type", to_string(item.id.type)},
                      {"name", item.name()},
                      {"stage", stage_name(item.stage)},
                      {"agent", item.agent() ? json::value(*item.agent()) : json::value(nullptr)},
                      {"depends_on", std::move(depends)},
                      {"flags", std::move(flags)}};
}

}  // namespace

void add_pipeline_routes(http::Router& router, const ApiServices& services) {
  router.add(
      "GET", "/api/pipeline",
      [root = services.project_root](http::Request&) -> boost::asio::awaitable<http::Response> {
        auto listing = StageStore(root).load_all();
        json::object stages;
        for (auto stage : kAllStages)
          stages[stage_name(stage)] = json::array{};
        for (const auto& item : listing.items)
          stages[stage_name(item.stage)].as_array().push_back(item_json(item));
        json::array problems;
        for (const auto& problem : listing.problems)
          problems.emplace_back(problem.render());
        co_return http::Response::json(
            200, json::serialize(json::object{{"stages", std::move(stages)},
                                              {"problems", std::move(problems)}}));
      },
      "pipeline");
}

}  // namespace stork::api
