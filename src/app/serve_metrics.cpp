#include "app/serve_metrics.hpp"

#include <map>
#include <string>

#include "agents/agent_pool.hpp"
#include "engine/pipeline.hpp"
#include "http/metrics.hpp"

namespace stork::app {
namespace {

constexpr const char* kRuns = "stork_runs";
constexpr const char* kRunsHelp = "Agent runs the pool knows of, by status.";
constexpr const char* kMergeQueue = "stork_merge_queue_length";
constexpr const char* kMergeQueueHelp = "Merges queued or running.";

constexpr agents::AgentStatus kAllStatuses[] = {
    agents::AgentStatus::Pending, agents::AgentStatus::Running,    agents::AgentStatus::Throttled,
    agents::AgentStatus::Blocked, agents::AgentStatus::Completed,  agents::AgentStatus::Failed,
    agents::AgentStatus::Stopped, agents::AgentStatus::Interrupted};

http::Gauge& runs_gauge(http::Metrics& metrics, agents::AgentStatus status) {
  return metrics.gauge(kRuns, kRunsHelp, {{"status", std::string(agents::to_string(status))}});
}

}  // namespace

ServeMetrics::ServeMetrics(http::Metrics& metrics)
    : metrics_(metrics),
      agent_events_(
          metrics.counter("stork_agent_events_total",
                          "Agent events recorded by the pool since the server started.")) {
  for (auto status : kAllStatuses)
    runs_gauge(metrics_, status).set(0);
  metrics_.gauge(kMergeQueue, kMergeQueueHelp).set(0);
}

void ServeMetrics::count_agent_events(std::size_t events) {
  agent_events_.inc(static_cast<double>(events));
}

boost::asio::awaitable<void> ServeMetrics::refresh(agents::AgentPool& pool,
                                                   engine::Pipeline& pipeline) {
  std::map<agents::AgentStatus, int> counts;
  for (const auto& run : co_await pool.list_agents())
    ++counts[run.status];
  for (auto status : kAllStatuses)
    runs_gauge(metrics_, status).set(counts[status]);
  const auto merges = co_await pipeline.merge_status();
  metrics_.gauge(kMergeQueue, kMergeQueueHelp)
      .set(static_cast<double>(merges.queued.size() + (merges.running ? 1 : 0)));
}

}  // namespace stork::app
