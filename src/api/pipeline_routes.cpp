// GET /api/pipeline: every stage with its items, their flags, the agent runs active on each and
// what each has cost so far.
#include <map>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "agents/agent_pool.hpp"
#include "api/api_context.hpp"
#include "api/routes.hpp"
#include "work/stage_store.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

struct Board {
  StageStore::Listing listing;
  std::map<std::string, double> cost_by_story;
  std::optional<std::string> cost_problem;  // the state database could not be read
};

json::object item_json(const WorkItem& item, const Board& board,
                       const std::vector<agents::AgentInfo>& runs) {
  const auto id = item.id.str();
  json::object flags{{"blocked", item.blocked()},
                     {"review_hold", item.review_hold()},
                     {"retry_count", item.retry_count()}};
  if (auto failure = item.merge_failure()) flags["merge_failure"] = *failure;
  if (auto reason = item.blocked_reason()) flags["blocked_reason"] = *reason;
  json::array depends;
  for (const auto& dependency : item.depends_on())
    depends.emplace_back(dependency);
  json::array active;
  for (const auto& run : runs) {
    if (run.story_id != id || !agents::is_active(run.status)) continue;
    active.push_back(json::object{{"agent", run.agent_name},
                                  {"model", run.model},
                                  {"status", agents::to_string(run.status)},
                                  {"run_id", run.run_id},
                                  {"started_at_ms", run.started_at_ms}});
  }
  json::value cost = nullptr;
  if (!board.cost_problem) {
    auto found = board.cost_by_story.find(id);
    cost = found == board.cost_by_story.end() ? 0.0 : found->second;
  }
  return json::object{{"id", id},
                      {"number", item.id.number},
                      {"type", to_string(item.id.type)},
                      {"name", item.name()},
                      {"stage", stage_name(item.stage)},
                      {"agent", item.agent() ? json::value(*item.agent()) : json::value(nullptr)},
                      {"depends_on", std::move(depends)},
                      {"retry_count", item.retry_count()},
                      {"flags", std::move(flags)},
                      {"agents", std::move(active)},
                      {"cost_usd", cost}};
}

asio::awaitable<http::Response> get_pipeline(ContextPtr context) {
  auto* api = context.get();
  auto read_board = [api] {
    Board board;
    board.listing = StageStore(api->services().project_root).load_all();
    auto usage = api->with_state(
        [](state::StateStore& store) -> ApiResult<std::vector<state::TokenUsageRecord>> {
          auto records = store.token_usage();
          if (!records.ok()) return fail(ApiContext::state_error(records.error()));
          return std::move(records.value());
        });
    if (!usage.ok()) {
      board.cost_problem = usage.error().message;
    } else {
      for (const auto& record : usage.value())
        board.cost_by_story[record.story] += record.cost_usd;
    }
    return board;
  };
  const Board board = co_await context->offload(read_board);
  const auto runs = co_await context->services().pool->list_agents();

  json::object stages;
  for (auto stage : kAllStages)
    stages[stage_name(stage)] = json::array{};
  for (const auto& item : board.listing.items)
    stages[stage_name(item.stage)].as_array().push_back(item_json(item, board, runs));
  json::array problems;
  for (const auto& problem : board.listing.problems)
    problems.emplace_back(problem.render());
  if (board.cost_problem) problems.emplace_back("costs unavailable: " + *board.cost_problem);
  co_return json_response(
      200, json::object{{"stages", std::move(stages)}, {"problems", std::move(problems)}});
}

}  // namespace

void add_pipeline_routes(http::Router& router, const ContextPtr& context) {
  router.add(
      "GET", "/api/pipeline", [context](http::Request&) { return get_pipeline(context); },
      "pipeline");
}

}  // namespace stork::api
