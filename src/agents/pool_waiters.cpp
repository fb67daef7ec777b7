// Waiting on runs without polling: a waiter is a timer set to its deadline and kept on the run's
// entry; every status change of the run (wake) cancels its timers, and each waiter looks again.
// wait_finished follows the (item, agent) key, so it follows a blocked run to its resumed run.
#include "agents/pool_errors.hpp"
#include "agents/pool_impl.hpp"

namespace stork::agents {
namespace asio = boost::asio;

void AgentPool::Impl::wait_finished(std::string story, std::string agent,
                                    std::chrono::steady_clock::time_point deadline,
                                    std::chrono::milliseconds timeout,
                                    std::function<void(PoolResult<AgentInfo>)> done) {
  auto entry = find(story, agent);
  if (!entry) return done(fail(pool_errors::not_found(story, agent)));
  if (is_finished(entry->info.status)) return done(entry->info);
  if (std::chrono::steady_clock::now() >= deadline) {
    return done(fail(pool_errors::timeout(story, agent, timeout, entry->info.status)));
  }
  auto timer = std::make_shared<asio::steady_timer>(strand);
  timer->expires_at(deadline);
  entry->waiters.push_back(timer);
  timer->async_wait([self = shared_from_this(), timer, story = std::move(story),
                     agent = std::move(agent), deadline, timeout,
                     done = std::move(done)](boost::system::error_code) mutable {
    self->wait_finished(std::move(story), std::move(agent), deadline, timeout, std::move(done));
  });
}

void AgentPool::Impl::wait_while(std::shared_ptr<RunEntry> entry,
                                 std::function<bool(const RunEntry&)> holds,
                                 std::chrono::steady_clock::time_point deadline,
                                 std::function<void()> done) {
  if (!holds(*entry) || std::chrono::steady_clock::now() >= deadline) return done();
  auto timer = std::make_shared<asio::steady_timer>(strand);
  timer->expires_at(deadline);
  entry->waiters.push_back(timer);
  timer->async_wait([self = shared_from_this(), timer, entry, holds = std::move(holds), deadline,
                     done = std::move(done)](boost::system::error_code) mutable {
    self->wait_while(std::move(entry), std::move(holds), deadline, std::move(done));
  });
}

void AgentPool::Impl::wake(RunEntry& entry) {
  for (auto& waiter : entry.waiters)
    waiter->cancel();
  entry.waiters.clear();
}

}  // namespace stork::agents
