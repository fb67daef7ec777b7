// Rate limits as the pool handles them: a warning marks the run Throttled (and "allowed" again
// Running); a hard limit ends the run as Blocked until the reset the provider named (or five
// minutes), then a new run resumes the same session. The resume timer lives on the strand.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "agents/pool_impl.hpp"
#include "state/project_chat_store.hpp"

namespace stork::agents {
namespace asio = boost::asio;

void AgentPool::Impl::note_rate_limit(RunEntry& run, const RateLimitNotice& notice) {
  if (notice.hard) {
    // The CLI follows a rejected rate_limit_event (with the reset time) with an error
    // result that has none: keep the reset time already known.
    const auto known_reset = run.hard_limit ? run.hard_limit->resets_at_unix_s : std::nullopt;
    run.hard_limit = notice;
    if (!run.hard_limit->resets_at_unix_s) run.hard_limit->resets_at_unix_s = known_reset;
  } else if (notice.allowed) {
    if (run.info.status == AgentStatus::Throttled) set_status(run, AgentStatus::Running);
  } else if (run.info.status == AgentStatus::Running) {
    set_status(run, AgentStatus::Throttled, "rate limit warning");
  }
}

void AgentPool::Impl::block_until_reset(const std::shared_ptr<RunEntry>& entry) {
  RunEntry& run = *entry;
  const std::int64_t now = now_ms();
  // Without a reset time from the provider, try again in five minutes.
  std::int64_t until = run.hard_limit->resets_at_unix_s ? *run.hard_limit->resets_at_unix_s * 1000
                                                        : now + std::int64_t{5} * 60 * 1000;
  until = std::max(until, now) + options_.rate_limit_margin.count();
  run.info.blocked_until_ms = until;
  if (auto saved = state_->set_blocked_until(run.info.run_id, until); !saved.ok()) {
    note_state_error(run, saved.error().message);
  }
  finish(entry, AgentStatus::Blocked, "rate limited until the reset");
  schedule_resume(entry, until - now);
}

void AgentPool::Impl::schedule_resume(const std::shared_ptr<RunEntry>& entry,
                                      std::int64_t wait_ms) {
  entry->resume_timer = std::make_unique<asio::steady_timer>(strand);
  entry->resume_timer->expires_after(std::chrono::milliseconds(std::max<std::int64_t>(0, wait_ms)));
  entry->resume_timer->async_wait([self = shared_from_this(), entry](boost::system::error_code ec) {
    if (!ec) self->resume_blocked(entry);
  });
}

void AgentPool::Impl::resume_blocked(const std::shared_ptr<RunEntry>& entry) {
  if (shutting_down_ || entry->info.status != AgentStatus::Blocked) return;
  auto current = entries_.find({entry->info.story_id, entry->info.agent_name});
  if (current == entries_.end() || current->second != entry) return;  // replaced or removed
  if (state::is_chat_story(entry->info.story_id)) {
    auto resumed = register_chat_run({entry->info.story_id, entry->info.agent_name,
                                      "The rate limit that stopped your previous answer has "
                                      "reset. Continue where you left off.",
                                      false});
    if (!resumed.ok()) {
      spdlog::error("cannot resume the chat {} after its rate limit: {}", entry->info.story_id,
                    resumed.error().message);
    }
    return;
  }
  auto story = parse_story_id(entry->info.story_id).value();
  RunRequest request{entry->config,
                     std::string("The rate limit that stopped your previous run has reset. "
                                 "Continue the work where you left off."),
                     true, entry->info.run_id};
  auto registered = register_run(story, entry->info.agent_name, std::move(request));
  if (!registered.ok()) {
    spdlog::error("cannot resume {} on {} after its rate limit: {}", entry->info.agent_name,
                  entry->info.story_id, registered.error().message);
  }
}

}  // namespace stork::agents
