// Where a run's reports land (through its observer, on the strand): output goes to the run's
// log file, events are numbered, fanned out to listeners at once and stored in SQLite in
// batches; sessions, usage and rate limits are noted; the exit decides the run's final state.
// Every status change and failure goes through set_status and finish, nowhere else.
#include <spdlog/spdlog.h>

#include "agents/pool_impl.hpp"
#include "agents/runtime/event_translation.hpp"

namespace stork::agents {
namespace {

constexpr std::size_t kMaxUnsavedEvents = 4096;
constexpr auto kEventFlushDelay = std::chrono::milliseconds(5);

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

}  // namespace

void AgentPool::Impl::on_started(const std::shared_ptr<RunEntry>& entry, std::optional<pid_t> pid) {
  if (pid) entry->info.pid = *pid;
  if (entry->info.status == AgentStatus::Pending) set_status(*entry, AgentStatus::Running);
}

void AgentPool::Impl::on_output(const std::shared_ptr<RunEntry>& entry,
                                std::vector<std::string>& raw_lines,
                                std::vector<RuntimeEvent>& events) {
  RunEntry& run = *entry;
  if (!run.output_budget) {
    run.output_budget.emplace(run.config ? run.config->limits.run_output_bytes
                                         : LimitsConfig{}.run_output_bytes);
  }
  run.output_budget->admit(raw_lines, events);
  if (run.log && !raw_lines.empty()) {
    if (auto written = run.log->append_lines(raw_lines); !written.ok()) {
      spdlog::warn("run {} log: {}", run.info.run_id, written.error().message);
    }
  }
  for (auto& event : events) {
    if (event.session_id && run.info.session_id != event.session_id)
      note_session(run, *event.session_id);
    if (event.model && run.info.model.empty()) note_model(run, *event.model);
    if (event.usage) note_usage(run, event);
    if (event.failed_result) run.failed_result = true;
    if (event.failed_result && !event.failure.empty()) run.failure = event.failure;
    if (event.rate_limit) note_rate_limit(run, *event.rate_limit);
  }
  emit(run, events);
}

void AgentPool::Impl::note_session(RunEntry& run, const std::string& session_id) {
  run.info.session_id = session_id;
  if (auto saved = state_->set_session_id(run.info.run_id, session_id); !saved.ok()) {
    note_state_error(run, saved.error().message);
  }
  // Remembered at once, not at the end: after a crash the session can still be resumed.
  auto remembered = state_->remember_session(run.info.story_id, run.info.agent_name, run.info.model,
                                             session_id, now_ms());
  if (!remembered.ok()) note_state_error(run, remembered.error().message);
  if (run.log) (void)run.log->rename_to_session(session_id);
}

void AgentPool::Impl::on_exit(const std::shared_ptr<RunEntry>& entry, const RunExit& exit) {
  RunEntry& run = *entry;
  run.run.reset();
  run.info.pid.reset();
  if (run.log) (void)run.log->flush();
  record_usage(run);
  if (run.interrupt_requested) {
    finish(entry, AgentStatus::Interrupted, "stork shut down while the agent ran");
  } else if (run.stop_requested || exit.stopped) {
    finish(entry, AgentStatus::Stopped,
           run.stop_reason.empty() ? "stopped on request" : "stopped: " + run.stop_reason);
  } else if (run.hard_limit) {
    block_until_reset(entry);
  } else if (exit.succeeded && !run.failed_result) {
    finish(entry, AgentStatus::Completed, exit.reason);
  } else if (!run.failure.empty() && !exit.inactive) {
    finish(entry, AgentStatus::Failed, run.failure + " (" + exit.reason + ")");
  } else if (exit.succeeded) {
    finish(entry, AgentStatus::Failed, "the agent reported an error result (" + exit.reason + ")");
  } else {
    finish(entry, AgentStatus::Failed, exit.reason);
  }
}

void AgentPool::Impl::record_usage(RunEntry& run) {
  if (!run.usage) return;
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
  if (run.output_budget) {  // the held tail of a run that printed more than its budget
    auto rest = run.output_budget->finish();
    if (run.log && !rest.lines.empty()) (void)run.log->append_lines(rest.lines);
    emit(run, rest.events);
  }
  // The run writes no more output: its log file is closed now, not when the item is archived
  // (one descriptor per run, forever, ran the server out of them). A resumed run opens its own.
  if (run.log) (void)run.log->flush();
  run.log.reset();
  if (status == AgentStatus::Failed) {
    std::vector<RuntimeEvent> failure{error_event(reason)};
    emit(run, failure);
  }
  set_status(run, status, reason);
  std::vector<RuntimeEvent> done{done_event(to_string(status), reason, run.info.session_id)};
  emit(run, done);
  // A chat run has no item: the pipeline's completion checks are not for it.
  if (is_finished(status) && !run.chat_prompt) {
    for (const auto& handler : finished_handlers_)
      handler(run.info);
  }
}

void AgentPool::Impl::emit(RunEntry& entry, std::vector<RuntimeEvent>& events) {
  if (events.empty()) return;
  std::vector<AgentEvent> out;
  out.reserve(events.size());
  const std::int64_t time = now_ms();
  for (auto& event : events) {
    if (event.type == event_type::kStatus || event.type == event_type::kSession ||
        event.type == event_type::kDone)
      ++runs_version;
    out.push_back({entry.info.run_id, entry.next_seq++, time, entry.info.story_id,
                   entry.info.agent_name, std::move(event.type), std::move(event.payload)});
  }
  entry.info.events = entry.next_seq - 1;
  for (const auto& [id, listener] : listeners_)
    listener(out);
  // Listeners have copied what they keep (they run here, on the strand, and must not call
  // back into the pool), so each payload moves on to the store instead of being copied.
  for (auto& event : out) {
    unsaved_events_.push_back(
        {event.run_id, event.seq, event.time_ms, std::move(event.type), std::move(event.payload)});
  }
  if (unsaved_events_.size() >= kMaxUnsavedEvents) {
    flush_events();
  } else if (!flush_scheduled_) {
    flush_scheduled_ = true;
    flush_timer_.expires_after(kEventFlushDelay);
    flush_timer_.async_wait([self = weak_from_this()](boost::system::error_code ec) {
      if (auto pool = self.lock(); pool && !ec) pool->flush_events();
    });
  }
}

void AgentPool::Impl::flush_events() {
  flush_scheduled_ = false;
  if (unsaved_events_.empty()) return;
  if (auto saved = state_->append_events(unsaved_events_); !saved.ok()) {
    spdlog::error("{} events not saved: {}", unsaved_events_.size(), saved.error().message);
  }
  unsaved_events_.clear();
}

void AgentPool::Impl::note_state_error(RunEntry& entry, const std::string& what) {
  spdlog::error("run {} of {} on {}: {}", entry.info.run_id, entry.info.agent_name,
                entry.info.story_id, what);
}

}  // namespace stork::agents
