#include "api/run_events.hpp"

#include <limits>

#include "agents/agent_pool.hpp"

namespace stork::api {

boost::asio::awaitable<void> flush_pool_events(agents::AgentPool& pool, const std::string& story,
                                               const std::string& agent) {
  // drain_events writes the pool's pending batch before it reads; asking for events after the
  // largest sequence number makes the read itself empty.
  const std::int64_t after = std::numeric_limits<std::int64_t>::max();
  auto drained = co_await pool.drain_events(story, agent, after);
  (void)drained;
}

}  // namespace stork::api
