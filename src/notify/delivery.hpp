// Delivery of one notification to one channel through libcurl: a webhook POST (a 2xx answer is
// success; no redirect is followed) or an email over SMTP (STARTTLS when the channel asks, the
// credentials from the environment variables it names). Blocking: run it on the shared worker
// pool (stork::offload), never on a strand. Never throws; the result says what went wrong.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "config/project_config.hpp"
#include "state/notification_store.hpp"

namespace stork::notify {

struct DeliveryResult {
  bool ok = false;
  long status = 0;    // the HTTP status or the SMTP reply code, when there was an answer
  std::string error;  // why it failed, for the outbox row and `stork notify test`
};

DeliveryResult deliver(const NotifyChannelConfig& channel, const state::NotificationRecord& record,
                       std::int64_t now_ms,
                       std::chrono::milliseconds timeout = std::chrono::seconds(15));

// The webhook URL a channel posts to (`url`, or the value of `url_env`), or why there is none.
struct ResolvedUrl {
  std::string url;
  std::string error;
};
ResolvedUrl webhook_url(const NotifyChannelConfig& channel);

}  // namespace stork::notify
