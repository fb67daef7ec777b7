// AgentPool::Impl: construction, teardown, and the queries and small mutations over the runs
// it holds (find, list, stop, forget a story, listeners, events). See pool_impl.hpp.
#include "agents/pool_impl.hpp"

#include <chrono>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "agents/pool_errors.hpp"
#include "pipeline/stage_rules.hpp"

namespace stork::agents {
namespace asio = boost::asio;

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

std::optional<asio::thread_pool> own_pool(const PoolOptions& options) {
  if (options.workers) return std::nullopt;
  return std::optional<asio::thread_pool>(std::in_place, options.worker_threads);
}

}  // namespace

AgentPool::Impl::Impl(const asio::any_io_executor& executor,
                      std::shared_ptr<const ProjectConfig> config, PoolOptions options,
                      std::unique_ptr<state::StateStore> state, WorktreeSettings worktrees)
    : strand(asio::make_strand(executor)),
      config_(std::move(config)),
      options_(std::move(options)),
      store_(options_.project_root),
      state_(std::move(state)),
      worktree_settings_(std::move(worktrees)),
      worktrees_(worktree_settings_),
      base_branch_(worktree_settings_.base_branch),
      own_workers_(own_pool(options_)),
      workers_(own_workers_ ? asio::any_io_executor(own_workers_->get_executor())
                            : options_.workers),
      git_lane_(asio::make_strand(workers_)),
      flush_timer_(strand) {}

AgentPool::Impl::~Impl() {
  flush_events();
  // A run's transfer on a worker thread ends at once, so the join below does not wait for it.
  for (const auto& [key, entry] : entries_) {
    if (entry->run) entry->run->abandon();
  }
  if (own_workers_) {
    own_workers_->stop();
    own_workers_->join();
  }
}

pipeline::Runs AgentPool::Impl::snapshot(const RunEntry* except) const {
  pipeline::Runs runs;
  for (const auto& [key, entry] : entries_) {
    if (entry.get() == except) continue;
    auto parsed = parse_story_id(entry->info.story_id);
    if (!parsed.ok()) continue;
    runs.push_back({parsed.value(), entry->info.agent_name, to_run_status(entry->info.status)});
  }
  return runs;
}

std::shared_ptr<RunEntry> AgentPool::Impl::find(const std::string& story,
                                                const std::string& agent) const {
  auto it = entries_.find({story, agent});
  if (it != entries_.end()) return it->second;
  // A story may be named by its number alone.
  auto located = store_.locate(story);
  if (!located.ok()) return nullptr;
  it = entries_.find({located.value().id.str(), agent});
  return it == entries_.end() ? nullptr : it->second;
}

PoolResult<AgentInfo> AgentPool::Impl::request_stop(const std::string& story,
                                                    const std::string& agent,
                                                    const std::string& reason) {
  auto entry = find(story, agent);
  if (!entry) return fail(pool_errors::not_found(story, agent));
  const std::string why = reason.empty() ? "" : ": " + reason;
  switch (entry->info.status) {
    case AgentStatus::Pending:
      finish(entry, AgentStatus::Stopped, "stopped before the agent started" + why);
      break;
    case AgentStatus::Blocked:
      if (entry->resume_timer) entry->resume_timer->cancel();
      finish(entry, AgentStatus::Stopped, "stopped while waiting for a rate limit to reset" + why);
      break;
    case AgentStatus::Running:
    case AgentStatus::Throttled:
      entry->stop_requested = true;
      entry->stop_reason = reason;
      if (entry->run) entry->run->stop();
      break;
    default:
      break;
  }
  return entry->info;
}

std::vector<AgentInfo> AgentPool::Impl::list() const {
  std::vector<AgentInfo> infos;
  infos.reserve(entries_.size());
  for (const auto& [key, entry] : entries_)
    infos.push_back(entry->info);
  return infos;
}

std::vector<std::string> AgentPool::Impl::available_for_stage(AgentStage stage) const {
  const auto busy = pipeline::busy_agents(snapshot());
  std::vector<std::string> names;
  for (const auto& agent : config_->agents) {
    if (agent.stage == stage && !busy.contains(agent.name)) names.push_back(agent.name);
  }
  return names;
}

std::size_t AgentPool::Impl::remove_story(const std::string& story) {
  std::size_t removed = 0;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->first.first != story) {
      ++it;
      continue;
    }
    auto entry = it->second;
    if (entry->run) {
      entry->stop_requested = true;
      entry->run->stop();
    }
    if (entry->resume_timer) entry->resume_timer->cancel();
    it = entries_.erase(it);
    ++runs_version;
    wake(*entry);  // their waits end with "no run"
    ++removed;
  }
  return removed;
}

PoolResult<std::vector<AgentEvent>> AgentPool::Impl::events_of(const RunEntry& entry,
                                                               std::int64_t after_seq) {
  flush_events();
  auto records = state_->events_after(entry.info.run_id, after_seq);
  if (!records.ok()) return fail(pool_errors::state(records.error().message));
  std::vector<AgentEvent> events;
  events.reserve(records.value().size());
  for (auto& record : records.value()) {
    events.push_back({record.run_id, record.seq, record.time_ms, entry.info.story_id,
                      entry.info.agent_name, std::move(record.type), std::move(record.payload)});
  }
  return events;
}

std::uint64_t AgentPool::Impl::add_listener(PoolListener listener) {
  const auto id = next_listener_id_++;
  listeners_.emplace(id, std::move(listener));
  return id;
}

void AgentPool::Impl::remove_listener(std::uint64_t id) {
  listeners_.erase(id);
}

void AgentPool::Impl::add_finished_handler(std::function<void(const AgentInfo&)> handler) {
  finished_handlers_.push_back(std::move(handler));
}

void AgentPool::Impl::replace_config(std::shared_ptr<const ProjectConfig> config) {
  // New worktrees get the new components' setup; those being made keep the manager they have.
  worktree_settings_.components = config->components;
  worktrees_ = WorktreeManager(worktree_settings_);
  config_ = std::move(config);
}

}  // namespace stork::agents
