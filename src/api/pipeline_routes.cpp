// GET /api/pipeline: every stage with its items, their flags, the agent runs active on each and
// what each has cost so far.
//
// The board is the API's most requested answer and its most expensive one (every item file
// parsed, every usage record summed), and every open board asks for it after each change. So
// the rendered body is kept and served as is until the pipeline's work version or the pool's
// runs version moves (engine/pipeline.hpp, agents/agent_pool.hpp): both move after the change
// is on disk, so a body built from an older state is never taken for a newer one.
#include <mutex>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "agents/agent_pool.hpp"
#include "api/api_context.hpp"
#include "api/routes.hpp"
#include "base/json_text.hpp"
#include "engine/pipeline.hpp"
#include "ops/board_view.hpp"

namespace stork::api {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

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
    auto records = api->with_state(
        [](state::StateStore& store) -> ApiResult<std::vector<state::TokenUsageRecord>> {
          auto read = store.token_usage();
          if (!read.ok()) return fail(ApiContext::state_error(read.error()));
          return std::move(read.value());
        });
    Result<std::vector<state::TokenUsageRecord>, std::string> usage = fail(std::string());
    if (records.ok()) {
      usage = std::move(records.value());
    } else {
      usage = fail(records.error().message);
    }
    return ops::read_board(api->services().project_root, usage);
  };
  const ops::BoardInput board = co_await context.offload(read_board);
  const auto runs = co_await context.services().pool->list_agents();
  co_return json_text(ops::board_json(board, context.services().project_root, runs));
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
