// GET /api/pipeline: every stage with its items, their flags, the agent runs active on each and
// what each has cost so far.
//
// The board is the API's most requested answer and its most expensive one (every item file
// parsed, every usage record summed), and every open board asks for it after each change. So
// the rendered body is kept and served as is until the pipeline's work version or the pool's
// runs version moves (engine/pipeline.hpp, agents/agent_pool.hpp): both move after the change
// is on disk, so a body built from an older state is never taken for a newer one.
#include <map>
#include <mutex>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "agents/agent_pool.hpp"
#include "api/api_context.hpp"
#include "api/routes.hpp"
#include "base/json_text.hpp"
#include "engine/pipeline.hpp"
#include "ops/item_json.hpp"
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

// The one item view's SUMMARY (docs/items.md) plus what only the board shows: the active runs,
// the cost so far, and `flags` (the board's older grouping of the same flags, kept for clients
// that read it).
json::object item_json(const WorkItem& item, const std::filesystem::path& root, const Board& board,
                       const std::vector<agents::AgentInfo>& runs) {
  json::object out = ops::item_summary_json(ops::view_of(item, root, ops::ViewDepth::Summary));
  const auto id = item.id.str();
  json::object flags{{"blocked", out.at("blocked")},
                     {"review_hold", out.at("review_hold")},
                     {"retry_count", out.at("retry_count")}};
  if (auto failure = item.merge_failure()) flags["merge_failure"] = *failure;
  if (auto reason = item.blocked_reason()) flags["blocked_reason"] = *reason;
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
  out["flags"] = std::move(flags);
  out["agents"] = std::move(active);
  out["cost_usd"] = cost;
  return out;
}

struct BoardVersion {
  std::uint64_t work = 0;
  std::uint64_t runs = 0;
  bool operator==(const BoardVersion&) const = default;
};

class BoardCache {
 public:
  std::shared_ptr<const std::string> find(const BoardVersion& version) const {
    std::lock_guard lock(mutex_);
    return body_ && version_ == version ? body_ : nullptr;
  }
  void store(const BoardVersion& version, std::shared_ptr<const std::string> body) {
    std::lock_guard lock(mutex_);
    version_ = version;
    body_ = std::move(body);
  }

 private:
  mutable std::mutex mutex_;  // handlers run on many connection strands
  BoardVersion version_;
  std::shared_ptr<const std::string> body_;
};

// `context` is a reference (GCC 12: no temporary with a destructor in a co_await expression);
// the caller holds it for the whole await.
asio::awaitable<std::string> render_board(ApiContext& context) {
  auto* api = &context;
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
  const Board board = co_await context.offload(read_board);
  const auto runs = co_await context.services().pool->list_agents();

  json::object stages;
  for (auto stage : kAllStages)
    stages[stage_name(stage)] = json::array{};
  for (const auto& item : board.listing.items) {
    stages[stage_name(item.stage)].as_array().push_back(
        item_json(item, context.services().project_root, board, runs));
  }
  json::array problems;
  for (const auto& problem : board.listing.problems)
    problems.emplace_back(problem.render());
  if (board.cost_problem) problems.emplace_back("costs unavailable: " + *board.cost_problem);
  co_return json_text(
      json::object{{"stages", std::move(stages)}, {"problems", std::move(problems)}});
}

asio::awaitable<http::Response> get_pipeline(ContextPtr context,
                                             std::shared_ptr<BoardCache> cache) {
  const auto& services = context->services();
  // Without a pipeline nothing announces item changes: build every time.
  std::optional<BoardVersion> version;
  if (services.pipeline != nullptr)
    version = BoardVersion{services.pipeline->work_version(), services.pool->runs_version()};
  if (version) {
    if (auto body = cache->find(*version)) co_return http::Response::json(200, body);
  }
  std::string rendered = co_await render_board(*context);
  auto body = std::make_shared<const std::string>(std::move(rendered));
  if (version) cache->store(*version, body);
  co_return http::Response::json(200, std::move(body));
}

}  // namespace

void add_pipeline_routes(http::Router& router, const ContextPtr& context) {
  auto cache = std::make_shared<BoardCache>();
  router.add(
      "GET", "/api/pipeline",
      [context, cache](http::Request&) { return get_pipeline(context, cache); }, "pipeline");
}

}  // namespace stork::api
