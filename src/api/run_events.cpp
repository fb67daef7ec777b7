#include "api/run_events.hpp"

#include <limits>

#include "agents/agent_pool.hpp"
#include "api/api_context.hpp"

namespace stork::api {

boost::asio::awaitable<void> flush_pool_events(agents::AgentPool& pool, const std::string& story,
                                               const std::string& agent) {
  // drain_events writes the pool's pending batch before it reads; asking for events after the
  // largest sequence number makes the read itself empty.
  const std::int64_t after = std::numeric_limits<std::int64_t>::max();
  auto drained = co_await pool.drain_events(story, agent, after);
  (void)drained;
}

boost::asio::awaitable<ApiResult<state::RunRecord>> read_run_record(ApiContext& context,
                                                                    std::int64_t run) {
  auto* api = &context;
  auto read = [api, run] {
    return api->with_state([run](state::StateStore& store) -> ApiResult<state::RunRecord> {
      auto record = store.run(run);
      if (!record.ok()) return fail(ApiContext::state_error(record.error()));
      if (!record.value()) return fail(not_found("no run " + std::to_string(run)));
      return std::move(*record.value());
    });
  };
  auto record = co_await context.offload(read);
  co_return record;
}

}  // namespace stork::api
