// NotificationEvent: something a person should hear about, before it is stored and sent, and
// the rules that turn the pipeline's and the agents' events into one. Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "agents/agent_event.hpp"
#include "engine/pipeline.hpp"

namespace stork::notify {

struct NotificationEvent {
  std::string event;  // blocked, merge_failed, needs_review, permission_request, rate_limited,
                      // agent_failed, done; "digest" and "test" are stork's own
  std::string story;  // the item ("" for the digest)
  std::string title;  // one line, names the item and what happened
  std::string detail;
  // The idempotency key: one notification per key, ever, whoever reports it and how often
  // (e.g. "permission:<request id>"). Sent in every payload so receivers can drop a retry.
  std::string key;
  std::int64_t time_ms = 0;  // 0: now
};

// blocked, merge_failed, review_hold (→ needs_review) and merged (→ done); nothing for the rest.
std::optional<NotificationEvent> from_pipeline_event(const engine::PipelineEvent& event);

// A run whose status became failed (→ agent_failed, with the reason) and a rate-limit warning or
// rejection (→ rate_limited, once per run and level, and only when `rate_limit_notifications`).
std::optional<NotificationEvent> from_agent_event(const agents::AgentEvent& event,
                                                  bool rate_limit_notifications);

}  // namespace stork::notify
