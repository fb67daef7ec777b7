// ServeMetrics: stork's own Prometheus series, next to the HTTP ones the server records in the
// same registry. Event counts arrive as they happen (the pool's subscription); the run and
// merge-queue gauges are read from the pool and the pipeline on each scrape, so they are never
// stale and need no bookkeeping of their own.
#pragma once

#include <cstddef>

#include <boost/asio/awaitable.hpp>

namespace stork::agents {
class AgentPool;
}
namespace stork::engine {
class Pipeline;
}
namespace stork::http {
class Metrics;
class Counter;
}  // namespace stork::http

namespace stork::app {

// Names: stork_runs{status} (gauge, runs the pool knows by status, every status present),
// stork_agent_events_total (counter), stork_merge_queue_length (gauge, merges queued or
// running).
class ServeMetrics {
 public:
  // Registers the series (at zero) so a scrape shows them before anything happened.
  explicit ServeMetrics(http::Metrics& metrics);

  void count_agent_events(std::size_t events);
  // Sets the gauges from the pool's runs and the pipeline's merge queue.
  boost::asio::awaitable<void> refresh(agents::AgentPool& pool, engine::Pipeline& pipeline);

 private:
  http::Metrics& metrics_;
  http::Counter& agent_events_;
};

}  // namespace stork::app
