// AgentPool::say and the agent inbox: a person's message goes into the live run when its
// runtime can take it, else into state.db with the item's events that happened while the agent
// was idle; the next start or resume of the agent on the item drains them, once, into a
// <recent-events> block at the head of its first turn (storkit stories 736 and 543).
#include <set>

#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "agents/pool_errors.hpp"
#include "agents/pool_impl.hpp"
#include "agents/recent_events.hpp"
#include "base/strand_call.hpp"

namespace stork::agents {
namespace {

RuntimeEvent message_event(const std::string& text, bool live, const std::string& reason) {
  boost::json::object payload{{"text", text}, {"delivery", live ? "live" : "queued"}};
  if (!reason.empty()) payload["reason"] = reason;
  return RuntimeEvent{"message", boost::json::serialize(payload), {}, {}, {}, {}, false, {}};
}

std::string queued_reason(const RunEntry& entry) {
  if (!is_active(entry.info.status)) return "no run of the agent is live";
  if (entry.info.status == AgentStatus::Blocked) return "the run waits for its rate limit";
  if (entry.info.status == AgentStatus::Pending || !entry.run) return "the run is starting";
  return "the " + entry.info.runtime + " runtime cannot take input while it runs";
}

}  // namespace

boost::asio::awaitable<PoolResult<MessageDelivery>> AgentPool::say(std::string story,
                                                                   std::string agent,
                                                                   std::string text) {
  return call_on<PoolResult<MessageDelivery>>(
      impl_->strand,
      [impl = impl_, story = std::move(story), agent = std::move(agent), text = std::move(text)](
          Done<PoolResult<MessageDelivery>> done) { done(impl->say(story, agent, text)); });
}

void AgentPool::note_item_event(std::string story, std::string kind, std::string text) {
  boost::asio::post(impl_->strand,
                    [impl = impl_, story = std::move(story), kind = std::move(kind),
                     text = std::move(text)] { impl->note_item_event(story, kind, text); });
}

PoolResult<MessageDelivery> AgentPool::Impl::say(const std::string& story, const std::string& agent,
                                                 const std::string& text) {
  auto entry = find(story, agent);
  if (!entry) return say_to_idle_agent(story, agent, text);
  MessageDelivery delivery{entry->info.story_id, entry->info.agent_name, entry->info.run_id, false,
                           ""};
  const AgentStatus status = entry->info.status;
  if (entry->run && is_active(status) && status != AgentStatus::Blocked)
    delivery.live = entry->run->send_message(text);
  if (!delivery.live) {
    delivery.queued_reason = queued_reason(*entry);
    auto kept = state_->add_inbox_entry(
        {entry->info.story_id, entry->info.agent_name, "message", text, now_ms()});
    if (!kept.ok())
      return fail(pool_errors::state("cannot keep the message: " + kept.error().message));
  }
  std::vector<RuntimeEvent> events{message_event(text, delivery.live, delivery.queued_reason)};
  emit(*entry, events);
  return delivery;
}

// An agent with no run on the item since the server started: a roster agent, or one that ran
// on the item before, gets the message at its next start; there is no run to show it in yet.
PoolResult<MessageDelivery> AgentPool::Impl::say_to_idle_agent(const std::string& story,
                                                               const std::string& agent,
                                                               const std::string& text) {
  auto runs = state_->runs(story, 200);
  if (!runs.ok()) return fail(pool_errors::state("cannot read the runs: " + runs.error().message));
  std::int64_t last_run = 0;
  for (const auto& run : runs.value()) {
    if (run.agent == agent && run.id > last_run) last_run = run.id;
  }
  if (last_run == 0 && config_->find_agent(agent) == nullptr)
    return fail(pool_errors::not_found(story, agent));
  auto kept = state_->add_inbox_entry({story, agent, "message", text, now_ms()});
  if (!kept.ok())
    return fail(pool_errors::state("cannot keep the message: " + kept.error().message));
  return MessageDelivery{story, agent, last_run, false,
                         "the agent has not run on the item since the server started"};
}

void AgentPool::Impl::note_item_event(const std::string& story, const std::string& kind,
                                      const std::string& text) {
  auto runs = state_->runs(story, 200);
  if (!runs.ok()) {
    spdlog::warn("cannot note {} of {} for its agents: {}", kind, story, runs.error().message);
    return;
  }
  std::set<std::string> agents;
  for (const auto& run : runs.value())
    agents.insert(run.agent);
  for (const auto& agent : agents) {
    auto entry = find(story, agent);
    if (entry && is_active(entry->info.status) && entry->info.status != AgentStatus::Blocked)
      continue;  // a live agent is told by its tools and the pipeline, not by a later block
    auto kept = state_->add_inbox_entry({story, agent, kind, text, now_ms()});
    if (!kept.ok()) spdlog::warn("cannot note {} of {}: {}", kind, story, kept.error().message);
  }
}

std::optional<std::string> AgentPool::Impl::take_recent_events(RunEntry& entry) {
  auto taken = state_->take_inbox(entry.info.story_id, entry.info.agent_name);
  if (!taken.ok()) {
    note_state_error(entry, taken.error().message);
    return std::nullopt;
  }
  auto block = render_recent_events(entry.info.story_id, taken.value());
  if (!block) return std::nullopt;
  boost::json::object payload{{"count", taken.value().size()}, {"text", *block}};
  std::vector<RuntimeEvent> events{
      RuntimeEvent{"recent_events", boost::json::serialize(payload), {}, {}, {}, {}, false, {}}};
  emit(entry, events);
  return block;
}

}  // namespace stork::agents
