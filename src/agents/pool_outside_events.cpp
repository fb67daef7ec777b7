// AgentPool::record_event: events that reach a run from outside its process (stork's
// permission prompt), numbered and fanned out through the same emit as the run's own output.
#include "agents/agent_pool.hpp"
#include "agents/pool_errors.hpp"
#include "agents/pool_impl.hpp"
#include "base/strand_call.hpp"

namespace stork::agents {

boost::asio::awaitable<PoolResult<std::int64_t>> AgentPool::record_event(std::string story,
                                                                         std::string agent,
                                                                         std::string type,
                                                                         std::string payload) {
  return call_on<PoolResult<std::int64_t>>(
      impl_->strand,
      [impl = impl_, story = std::move(story), agent = std::move(agent), type = std::move(type),
       payload = std::move(payload)](Done<PoolResult<std::int64_t>> done) mutable {
        RuntimeEvent event;
        event.type = std::move(type);
        event.payload = std::move(payload);
        done(impl->record_outside_event(story, agent, std::move(event)));
      });
}

PoolResult<std::int64_t> AgentPool::Impl::record_outside_event(const std::string& story,
                                                               const std::string& agent,
                                                               RuntimeEvent event) {
  auto entry = find(story, agent);
  if (!entry) return fail(pool_errors::not_found(story, agent));
  // A permission question holds the run's inactivity timeout until it is answered: an agent
  // waiting on a person is not hung (permission_timeout_secs bounds that wait instead).
  if (entry->run && event.type == event_type::kPermissionRequest) entry->run->hold_inactivity(true);
  if (entry->run && event.type == event_type::kPermissionDecision)
    entry->run->hold_inactivity(false);
  std::vector<RuntimeEvent> events{std::move(event)};
  emit(*entry, events);
  return entry->info.run_id;
}

}  // namespace stork::agents
