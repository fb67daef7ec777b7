#include "agents/pool_impl.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "agents/agent_prompt.hpp"
#include "agents/runtime/event_translation.hpp"
#include "pipeline/agent_selection.hpp"
#include "pipeline/stage_rules.hpp"
#include "pipeline/start_checks.hpp"

namespace stork::agents {
namespace asio = boost::asio;

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

constexpr std::size_t kMaxUnsavedEvents = 4096;
constexpr auto kEventFlushDelay = std::chrono::milliseconds(5);

PoolError error(PoolError::Kind kind, std::string message) {
  return {kind, std::move(message)};
}

// Items here have work going on, so an interrupted run on them is worth resuming.
bool is_active_stage(Stage stage) {
  return stage == Stage::Current || stage == Stage::Qa || stage == Stage::Merge;
}

state::RunState to_run_state(AgentStatus status) {
  switch (status) {
    case AgentStatus::Pending:
      return state::RunState::Pending;
    case AgentStatus::Running:
    case AgentStatus::Throttled:
      return state::RunState::Running;
    case AgentStatus::Blocked:
      return state::RunState::Blocked;
    case AgentStatus::Completed:
      return state::RunState::Completed;
    case AgentStatus::Failed:
      return state::RunState::Failed;
    case AgentStatus::Stopped:
      return state::RunState::Stopped;
    case AgentStatus::Interrupted:
      return state::RunState::Interrupted;
  }
  return state::RunState::Failed;
}

// Forwards a run's reports to the pool. It holds its own entry, so a newer run of the same
// agent on the same item never receives an older process's output.
class EntryObserver final : public RunObserver {
 public:
  EntryObserver(std::weak_ptr<AgentPool::Impl> pool, std::shared_ptr<RunEntry> entry)
      : pool_(std::move(pool)), entry_(std::move(entry)) {}
  void on_started(std::optional<pid_t> pid) override {
    if (auto pool = pool_.lock()) pool->on_started(entry_, pid);
  }
  void on_output(std::vector<std::string>& raw_lines, std::vector<RuntimeEvent>& events) override {
    if (auto pool = pool_.lock()) pool->on_output(entry_, raw_lines, events);
  }
  void on_exit(const RunExit& exit) override {
    if (auto pool = pool_.lock()) pool->on_exit(entry_, exit);
  }

 private:
  std::weak_ptr<AgentPool::Impl> pool_;
  std::shared_ptr<RunEntry> entry_;
};

std::string model_of(const AgentConfig& agent, const ProjectConfig& config) {
  if (agent.model) return *agent.model;
  if (agent.stage == AgentStage::Coder && config.default_coder_model) {
    return *config.default_coder_model;
  }
  return "";
}

}  // namespace

AgentPool::Impl::Impl(const asio::any_io_executor& executor,
                      std::shared_ptr<const ProjectConfig> config, PoolOptions options,
                      std::unique_ptr<state::StateStore> state, WorktreeManager worktrees,
                      std::string base_branch)
    : strand(asio::make_strand(executor)),
      config_(std::move(config)),
      options_(std::move(options)),
      store_(options_.project_root),
      state_(std::move(state)),
      worktrees_(std::move(worktrees)),
      base_branch_(std::move(base_branch)),
      workers_(options_.worker_threads),
      git_lane_(asio::make_strand(workers_.get_executor())),
      flush_timer_(strand) {}

AgentPool::Impl::~Impl() {
  flush_events();
  workers_.stop();
  workers_.join();
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

PoolResult<AgentInfo> AgentPool::Impl::start(const StartRequest& request) {
  if (shutting_down_) return fail(error(PoolError::Kind::ShuttingDown, "stork is shutting down"));
  auto config = config_;
  auto located = store_.locate(request.story);
  if (!located.ok()) {
    return fail(error(PoolError::Kind::UnknownStory, located.error().render()));
  }
  StageStore::Entry item = located.value();
  const pipeline::Runs runs = snapshot();

  std::string agent_name;
  if (request.agent) {
    auto configured = pipeline::find_configured_agent(*config, *request.agent);
    if (!configured.ok()) {
      return fail(error(PoolError::Kind::UnknownAgent, configured.error().message()));
    }
    agent_name = *request.agent;
  } else {
    auto required = pipeline::required_agent_stage(item.stage);
    if (!required) {
      return fail(error(PoolError::Kind::StageMismatch,
                        "'" + item.id.str() + "' is in " + std::string(stage_dir_name(item.stage)) +
                            ": no agent works on it unless one of stage 'other' is named"));
    }
    if (*required == AgentStage::Coder && item.stage == Stage::Backlog) {
      // storkit moves the item before choosing a coder, so that with every coder busy it
      // still waits in 2_current where auto-assign finds it.
      auto moved = store_.move(item.id.str(), Stage::Current);
      if (!moved.ok()) return fail(error(PoolError::Kind::UnknownStory, moved.error().render()));
      item.stage = Stage::Current;
      item.path = moved.value().path;
    }
    auto loaded = store_.load_entry(item);
    std::optional<std::string> preferred;
    if (loaded.ok()) preferred = loaded.value().agent();
    if (*required == AgentStage::Coder) {
      auto selected = pipeline::select_coder(item.id, preferred, *config, runs);
      if (!selected.ok()) {
        bool none = std::holds_alternative<pipeline::NoCoderConfigured>(selected.error());
        return fail(error(none ? PoolError::Kind::UnknownAgent : PoolError::Kind::Queued,
                          pipeline::message(selected.error())));
      }
      agent_name = selected.value();
    } else {
      auto pick = pipeline::pick_agent(*config, *required, preferred, pipeline::busy_agents(runs));
      if (pick.kind != pipeline::AgentPick::Kind::Picked) {
        std::string stage_name(to_string(*required));
        return fail(error(
            pick.kind == pipeline::AgentPick::Kind::NoneConfigured ? PoolError::Kind::UnknownAgent
                                                                   : PoolError::Kind::Queued,
            pick.kind == pipeline::AgentPick::Kind::NoneConfigured
                ? "no " + stage_name + " agent is configured for '" + item.id.str() + "'"
                : "every " + stage_name + " agent is busy; '" + item.id.str() + "' waits in " +
                      std::string(stage_dir_name(item.stage)) + " until one becomes available"));
      }
      agent_name = pick.agent;
    }
  }

  const AgentStage agent_stage = pipeline::agent_stage_of(*config, agent_name);
  auto attach = pipeline::check_attach(agent_name, agent_stage, item.id, item.stage);
  if (!attach.ok()) return fail(error(PoolError::Kind::StageMismatch, attach.error().message()));
  auto conflicts = pipeline::check_start_conflicts(item.id, agent_name, *config, runs);
  if (!conflicts.ok()) {
    return fail(error(PoolError::Kind::Conflict, pipeline::message(conflicts.error())));
  }
  if (attach.value() == pipeline::AttachAction::MoveToCurrentThenAttach) {
    auto moved = store_.move(item.id.str(), Stage::Current);
    if (!moved.ok()) return fail(error(PoolError::Kind::UnknownStory, moved.error().render()));
  }
  return register_run(item.id, agent_name, config, request.resume_context, request.resume_session,
                      std::nullopt);
}

PoolResult<AgentInfo> AgentPool::Impl::register_run(
    const StoryId& story, const std::string& agent_name,
    const std::shared_ptr<const ProjectConfig>& config, std::optional<std::string> resume_context,
    bool resume_session, std::optional<std::int64_t> resumes_run) {
  const AgentConfig* agent = config->find_agent(agent_name);
  if (agent == nullptr) {
    return fail(
        error(PoolError::Kind::UnknownAgent, "No agent named '" + agent_name + "' in config"));
  }
  auto entry = std::make_shared<RunEntry>();
  entry->config = config;
  entry->resume_context = std::move(resume_context);
  entry->resume_session = resume_session;
  AgentInfo& info = entry->info;
  info.story_id = story.str();
  info.agent_name = agent_name;
  info.runtime = agent->runtime;
  info.model = model_of(*agent, *config);
  info.started_at_ms = now_ms();

  state::NewRun new_run{info.story_id, info.agent_name, info.model,
                        info.runtime,  std::nullopt,    resumes_run};
  auto created = state_->create_run(new_run, info.started_at_ms);
  if (!created.ok()) {
    return fail(error(PoolError::Kind::State, "cannot record the run: " + created.error().message));
  }
  info.run_id = created.value();
  auto& slot = entries_[{info.story_id, info.agent_name}];
  if (slot) wake(*slot);  // waiters on the run this one replaces follow to it
  slot = entry;

  std::vector<RuntimeEvent> events{status_event("pending")};
  emit(*entry, events);
  prepare_worktree(entry);
  return info;
}

void AgentPool::Impl::prepare_worktree(const std::shared_ptr<RunEntry>& entry) {
  auto story = parse_story_id(entry->info.story_id).value();
  // The worker holds no reference to the pool: if the pool goes away meanwhile, the result
  // is dropped, and the pool is never destroyed on one of its own worker threads.
  asio::post(git_lane_,
             [worktrees = worktrees_, strand = strand, pool = weak_from_this(), entry, story] {
               auto created = worktrees.create(story);
               asio::post(strand, [pool, entry, created = std::move(created)]() mutable {
                 if (auto self = pool.lock()) self->launch(entry, std::move(created));
               });
             });
}

void AgentPool::Impl::after_git_lane(std::function<void()> then) {
  asio::post(git_lane_, [strand = strand, then = std::move(then)]() mutable {
    asio::post(strand, std::move(then));
  });
}

void AgentPool::Impl::launch(const std::shared_ptr<RunEntry>& entry,
                             Result<CreatedWorktree, WorktreeError> worktree) {
  AgentInfo& info = entry->info;
  if (info.status != AgentStatus::Pending) return;  // stopped or interrupted meanwhile
  if (!worktree.ok()) {
    finish(entry, AgentStatus::Failed, "worktree: " + worktree.error().message);
    return;
  }
  const CreatedWorktree& created = worktree.value();
  info.worktree_path = created.info.path;
  const AgentConfig* agent = entry->config->find_agent(info.agent_name);
  auto runtime = make_runtime(agent->runtime);
  if (!runtime.ok()) {
    finish(entry, AgentStatus::Failed, runtime.error().message);
    return;
  }

  std::optional<std::string> session;
  if (entry->resume_session) {
    auto last = state_->last_session(info.story_id, info.agent_name, info.model);
    if (last.ok()) session = last.value();
  }
  auto log = state::RunLog::open(options_.project_root, info.story_id, info.agent_name,
                                 session ? *session : "run-" + std::to_string(info.run_id));
  if (log.ok()) {
    entry->log = std::make_unique<state::RunLog>(std::move(log.value()));
  } else {
    note_state_error(*entry, log.error().message);
  }

  PromptInput prompt_input{info.story_id, created.info.path.string(), base_branch_, "",
                           entry->resume_context};
  if (auto item = store_.load(info.story_id); item.ok())
    prompt_input.item_text = item.value().document.text();

  LaunchContext context;
  context.agent = agent;
  context.project = entry->config.get();
  context.story_id = info.story_id;
  context.worktree = created.info.path;
  context.mcp_config = created.info.path / ".mcp.json";
  context.prompt = build_prompt(*agent, prompt_input);
  context.resume_session = session;
  context.stop_grace = options_.stop_grace;
  context.project_root = options_.project_root;
  context.tool_host = options_.tool_host;
  context.api = options_.api;
  if (session) info.session_id = session;

  auto observer = std::make_shared<EntryObserver>(weak_from_this(), entry);
  auto run = runtime.value()->start(context, strand, observer);
  if (!run.ok()) {
    finish(entry, AgentStatus::Failed, run.error().message);
    return;
  }
  entry->run = run.value();
}

void AgentPool::Impl::on_started(const std::shared_ptr<RunEntry>& entry, std::optional<pid_t> pid) {
  if (pid) entry->info.pid = *pid;
  if (entry->info.status == AgentStatus::Pending) set_status(*entry, AgentStatus::Running);
}

void AgentPool::Impl::on_output(const std::shared_ptr<RunEntry>& entry,
                                std::vector<std::string>& raw_lines,
                                std::vector<RuntimeEvent>& events) {
  RunEntry& run = *entry;
  if (run.log) {
    if (auto written = run.log->append_lines(raw_lines); !written.ok()) {
      spdlog::warn("run {} log: {}", run.info.run_id, written.error().message);
    }
  }
  for (const auto& event : events) {
    if (event.session_id && run.info.session_id != event.session_id) {
      run.info.session_id = event.session_id;
      if (auto saved = state_->set_session_id(run.info.run_id, *event.session_id); !saved.ok()) {
        note_state_error(run, saved.error().message);
      }
      // Remembered at once, not at the end: after a crash the session can still be resumed.
      auto remembered = state_->remember_session(run.info.story_id, run.info.agent_name,
                                                 run.info.model, *event.session_id, now_ms());
      if (!remembered.ok()) note_state_error(run, remembered.error().message);
      if (run.log) (void)run.log->rename_to_session(*event.session_id);
    }
    if (event.model && run.info.model.empty()) run.info.model = *event.model;
    if (event.usage) run.usage = event.usage;
    if (event.failed_result) run.failed_result = true;
    if (event.rate_limit) {
      if (event.rate_limit->hard) {
        // The CLI follows a rejected rate_limit_event (with the reset time) with an error
        // result that has none: keep the reset time already known.
        const auto known_reset = run.hard_limit ? run.hard_limit->resets_at_unix_s : std::nullopt;
        run.hard_limit = event.rate_limit;
        if (!run.hard_limit->resets_at_unix_s) run.hard_limit->resets_at_unix_s = known_reset;
      } else if (event.rate_limit->allowed) {
        if (run.info.status == AgentStatus::Throttled) set_status(run, AgentStatus::Running);
      } else if (run.info.status == AgentStatus::Running) {
        set_status(run, AgentStatus::Throttled, "rate limit warning");
      }
    }
  }
  emit(run, events);
}

void AgentPool::Impl::on_exit(const std::shared_ptr<RunEntry>& entry, const RunExit& exit) {
  RunEntry& run = *entry;
  run.run.reset();
  run.info.pid.reset();
  if (run.log) (void)run.log->flush();
  if (run.usage) {
    state::TokenUsageRecord usage;
    usage.run_id = run.info.run_id;
    usage.story = run.info.story_id;
    usage.agent = run.info.agent_name;
    usage.model = run.info.model;
    usage.session_id = run.info.session_id;
    usage.input_tokens = run.usage->input_tokens;
    usage.output_tokens = run.usage->output_tokens;
    usage.cache_creation_input_tokens = run.usage->cache_creation_input_tokens;
    usage.cache_read_input_tokens = run.usage->cache_read_input_tokens;
    usage.cost_usd = run.usage->cost_usd;
    usage.recorded_at_ms = now_ms();
    if (auto recorded = state_->record_token_usage(usage); !recorded.ok()) {
      note_state_error(run, recorded.error().message);
    }
  }
  if (run.interrupt_requested) {
    finish(entry, AgentStatus::Interrupted, "stork shut down while the agent ran");
  } else if (run.stop_requested || exit.stopped) {
    finish(entry, AgentStatus::Stopped, "stopped on request");
  } else if (run.hard_limit) {
    block_until_reset(entry);
  } else if (exit.succeeded && !run.failed_result) {
    finish(entry, AgentStatus::Completed, exit.reason);
  } else if (exit.succeeded) {
    finish(entry, AgentStatus::Failed, "the agent reported an error result (" + exit.reason + ")");
  } else {
    finish(entry, AgentStatus::Failed, exit.reason);
  }
}

void AgentPool::Impl::set_status(RunEntry& entry, AgentStatus status, std::string_view reason) {
  flush_events();  // a run's events are stored before its new state
  entry.info.status = status;
  auto saved = state_->set_run_state(entry.info.run_id, to_run_state(status), now_ms(), reason);
  if (!saved.ok()) note_state_error(entry, saved.error().message);
  std::vector<RuntimeEvent> events{status_event(to_string(status), reason)};
  emit(entry, events);
  wake(entry);
}

void AgentPool::Impl::finish(const std::shared_ptr<RunEntry>& entry, AgentStatus status,
                             std::string reason) {
  RunEntry& run = *entry;
  run.info.exit_reason = reason;
  if (status != AgentStatus::Blocked) run.info.ended_at_ms = now_ms();
  if (status == AgentStatus::Failed) {
    std::vector<RuntimeEvent> failure{error_event(reason)};
    emit(run, failure);
  }
  set_status(run, status, reason);
  std::vector<RuntimeEvent> done{done_event(to_string(status), reason, run.info.session_id)};
  emit(run, done);
  if (is_finished(status)) {
    for (const auto& handler : finished_handlers_)
      handler(run.info);
  }
}

void AgentPool::Impl::block_until_reset(const std::shared_ptr<RunEntry>& entry) {
  RunEntry& run = *entry;
  const std::int64_t now = now_ms();
  // Without a reset time from the provider, try again in five minutes.
  std::int64_t until = run.hard_limit->resets_at_unix_s ? *run.hard_limit->resets_at_unix_s * 1000
                                                        : now + 5 * 60 * 1000;
  until = std::max(until, now) + options_.rate_limit_margin.count();
  run.info.blocked_until_ms = until;
  if (auto saved = state_->set_blocked_until(run.info.run_id, until); !saved.ok()) {
    note_state_error(run, saved.error().message);
  }
  finish(entry, AgentStatus::Blocked, "rate limited until the reset");
  run.resume_timer = std::make_unique<asio::steady_timer>(strand);
  run.resume_timer->expires_after(std::chrono::milliseconds(until - now));
  run.resume_timer->async_wait([self = shared_from_this(), entry](boost::system::error_code ec) {
    if (!ec) self->resume_blocked(entry);
  });
}

void AgentPool::Impl::resume_blocked(const std::shared_ptr<RunEntry>& entry) {
  if (shutting_down_ || entry->info.status != AgentStatus::Blocked) return;
  auto current = entries_.find({entry->info.story_id, entry->info.agent_name});
  if (current == entries_.end() || current->second != entry) return;  // replaced or removed
  auto story = parse_story_id(entry->info.story_id).value();
  auto registered = register_run(
      story, entry->info.agent_name, entry->config,
      std::string("The rate limit that stopped your previous run has reset. Continue the work "
                  "where you left off."),
      true, entry->info.run_id);
  if (!registered.ok()) {
    spdlog::error("cannot resume {} on {} after its rate limit: {}", entry->info.agent_name,
                  entry->info.story_id, registered.error().message);
  }
}

void AgentPool::Impl::emit(RunEntry& entry, std::vector<RuntimeEvent>& events) {
  if (events.empty()) return;
  std::vector<state::EventRecord> records;
  std::vector<AgentEvent> out;
  records.reserve(events.size());
  out.reserve(events.size());
  const std::int64_t time = now_ms();
  for (auto& event : events) {
    if (event.type == event_type::kStatus || event.type == event_type::kSession ||
        event.type == event_type::kDone)
      ++runs_version;
    const std::int64_t seq = entry.next_seq++;
    records.push_back({entry.info.run_id, seq, time, event.type, event.payload});
    out.push_back({entry.info.run_id, seq, time, entry.info.story_id, entry.info.agent_name,
                   std::move(event.type), std::move(event.payload)});
  }
  entry.info.events = entry.next_seq - 1;
  unsaved_events_.insert(unsaved_events_.end(), std::make_move_iterator(records.begin()),
                         std::make_move_iterator(records.end()));
  if (unsaved_events_.size() >= kMaxUnsavedEvents) {
    flush_events();
  } else if (!flush_scheduled_) {
    flush_scheduled_ = true;
    flush_timer_.expires_after(kEventFlushDelay);
    flush_timer_.async_wait([self = weak_from_this()](boost::system::error_code ec) {
      if (auto pool = self.lock(); pool && !ec) pool->flush_events();
    });
  }
  for (const auto& [id, listener] : listeners_)
    listener(out);
}

void AgentPool::Impl::flush_events() {
  flush_scheduled_ = false;
  if (unsaved_events_.empty()) return;
  if (auto saved = state_->append_events(unsaved_events_); !saved.ok()) {
    spdlog::error("{} events not saved: {}", unsaved_events_.size(), saved.error().message);
  }
  unsaved_events_.clear();
}

void AgentPool::Impl::wake(RunEntry& entry) {
  for (auto& waiter : entry.waiters)
    waiter->cancel();
  entry.waiters.clear();
}

void AgentPool::Impl::note_state_error(RunEntry& entry, const std::string& what) {
  spdlog::error("run {} of {} on {}: {}", entry.info.run_id, entry.info.agent_name,
                entry.info.story_id, what);
}

PoolResult<AgentInfo> AgentPool::Impl::request_stop(const std::string& story,
                                                    const std::string& agent) {
  auto entry = find(story, agent);
  if (!entry) {
    return fail(
        error(PoolError::Kind::NotFound, "no run of agent '" + agent + "' on '" + story + "'"));
  }
  switch (entry->info.status) {
    case AgentStatus::Pending:
      finish(entry, AgentStatus::Stopped, "stopped before the agent started");
      break;
    case AgentStatus::Blocked:
      if (entry->resume_timer) entry->resume_timer->cancel();
      finish(entry, AgentStatus::Stopped, "stopped while waiting for a rate limit to reset");
      break;
    case AgentStatus::Running:
    case AgentStatus::Throttled:
      entry->stop_requested = true;
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

std::vector<AgentInfo> AgentPool::Impl::recover() {
  std::vector<AgentInfo> resumed;
  // Runs a crash left Pending or Running become Interrupted, like those an orderly shutdown
  // stopped; the newest of each (item, agent) is resumed.
  if (auto marked = state_->mark_unfinished_interrupted(now_ms()); !marked.ok()) {
    spdlog::error("recovery: {}", marked.error().message);
    return resumed;
  }
  auto interrupted = state_->resumable_runs();
  if (!interrupted.ok()) {
    spdlog::error("recovery: {}", interrupted.error().message);
    return resumed;
  }
  std::set<Key> seen;
  // Newest first: an agent's latest run on an item is the one to continue.
  auto runs = interrupted.value();
  std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
  for (const auto& run : runs) {
    if (!seen.insert({run.story, run.agent}).second) continue;
    auto located = store_.locate(run.story);
    if (!located.ok() || !is_active_stage(located.value().stage)) {
      spdlog::info("recovery: run {} of {} on {} not resumed: the item is no longer in progress",
                   run.id, run.agent, run.story);
      continue;
    }
    auto conflicts =
        pipeline::check_start_conflicts(located.value().id, run.agent, *config_, snapshot());
    if (!conflicts.ok()) {
      spdlog::warn("recovery: run {} not resumed: {}", run.id,
                   pipeline::message(conflicts.error()));
      continue;
    }
    auto registered = register_run(
        located.value().id, run.agent, config_,
        std::string("stork was restarted while you were working on this item. Continue where "
                    "you left off; check `git status` and `git log` in the worktree first."),
        true, run.id);
    if (registered.ok()) {
      resumed.push_back(registered.value());
    } else {
      spdlog::warn("recovery: run {} not resumed: {}", run.id, registered.error().message);
    }
  }
  auto blocked = state_->blocked_runs();
  if (blocked.ok()) {
    for (const auto& run : blocked.value()) {
      if (entries_.contains({run.story, run.agent})) continue;
      auto entry = std::make_shared<RunEntry>();
      entry->config = config_;
      entry->info.story_id = run.story;
      entry->info.agent_name = run.agent;
      entry->info.run_id = run.id;
      entry->info.runtime = run.runtime;
      entry->info.model = run.model;
      entry->info.session_id = run.session_id;
      entry->info.status = AgentStatus::Blocked;
      entry->info.started_at_ms = run.started_at_ms;
      entry->info.blocked_until_ms = run.blocked_until_ms;
      entry->next_seq = run.last_seq + 1;
      entries_[{run.story, run.agent}] = entry;
      ++runs_version;
      const std::int64_t wait_ms =
          std::max<std::int64_t>(0, run.blocked_until_ms.value_or(0) - now_ms());
      entry->resume_timer = std::make_unique<asio::steady_timer>(strand);
      entry->resume_timer->expires_after(std::chrono::milliseconds(wait_ms));
      entry->resume_timer->async_wait(
          [self = shared_from_this(), entry](boost::system::error_code ec) {
            if (!ec) self->resume_blocked(entry);
          });
    }
  }
  return resumed;
}

std::vector<std::shared_ptr<RunEntry>> AgentPool::Impl::kill_all_for_shutdown() {
  shutting_down_ = true;
  std::vector<std::shared_ptr<RunEntry>> live;
  for (const auto& [key, entry] : entries_) {
    if (entry->resume_timer) entry->resume_timer->cancel();
    if (entry->run) {
      entry->interrupt_requested = true;
      entry->run->kill();
      live.push_back(entry);
    } else if (entry->info.status == AgentStatus::Pending) {
      finish(entry, AgentStatus::Interrupted, "stork shut down before the agent started");
    }
  }
  return live;
}

PoolResult<std::vector<AgentEvent>> AgentPool::Impl::events_of(const RunEntry& entry,
                                                               std::int64_t after_seq) {
  flush_events();
  auto records = state_->events_after(entry.info.run_id, after_seq);
  if (!records.ok()) return fail(error(PoolError::Kind::State, records.error().message));
  std::vector<AgentEvent> events;
  events.reserve(records.value().size());
  for (auto& record : records.value()) {
    events.push_back({record.run_id, record.seq, record.time_ms, entry.info.story_id,
                      entry.info.agent_name, std::move(record.type), std::move(record.payload)});
  }
  return events;
}

void AgentPool::Impl::wait_finished(std::string story, std::string agent,
                                    std::chrono::steady_clock::time_point deadline,
                                    std::chrono::milliseconds timeout,
                                    std::function<void(PoolResult<AgentInfo>)> done) {
  auto entry = find(story, agent);
  if (!entry) {
    return done(fail(
        error(PoolError::Kind::NotFound, "no run of agent '" + agent + "' on '" + story + "'")));
  }
  if (is_finished(entry->info.status)) return done(entry->info);
  if (std::chrono::steady_clock::now() >= deadline) {
    return done(fail(error(PoolError::Kind::Timeout,
                           "Timed out after " + std::to_string(timeout.count()) +
                               " ms waiting for agent '" + agent + "' on '" + story + "' (still " +
                               std::string(to_string(entry->info.status)) + ")")));
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

}  // namespace stork::agents
