// The Notifier's two loops on its strand: the sender (delivers due outbox rows on the shared
// worker pool, one at a time, and sleeps until the next retry or a wake) and the daily digest.
#include <algorithm>
#include <map>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "base/offload.hpp"
#include "engine/event_log.hpp"
#include "notify/delivery.hpp"
#include "notify/message.hpp"
#include "notify/notifier_impl.hpp"
#include "notify/zone_clock.hpp"

namespace stork::notify {
namespace asio = boost::asio;

namespace {

const NotifyChannelConfig* find_channel(const ProjectConfig& config, const std::string& name) {
  for (const auto& channel : config.notify) {
    if (channel.name == name) return &channel;
  }
  return nullptr;
}

// Sleeps until `when_ms` on the wall clock that says it is `now_ms`, or a cancel (a wake, or
// stop()).
asio::awaitable<void> sleep_until(asio::steady_timer& timer, std::optional<std::int64_t> when_ms,
                                  std::int64_t now_ms) {
  if (when_ms) {
    const auto wait = std::max<std::int64_t>(0, *when_ms - now_ms);
    timer.expires_after(std::chrono::milliseconds(wait));
  } else {
    timer.expires_at(asio::steady_timer::time_point::max());
  }
  (void)co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

std::string digest_detail(const std::map<std::string, std::int64_t>& counts) {
  auto count = [&](const char* type) {
    auto found = counts.find(type);
    return found == counts.end() ? std::int64_t{0} : found->second;
  };
  return "last 24 hours: " + std::to_string(count("merged")) + " merged, " +
         std::to_string(count("blocked")) + " blocked, " + std::to_string(count("merge_failed")) +
         " failed merges, " + std::to_string(count("review_hold")) + " waiting for review, " +
         std::to_string(count("created")) + " created";
}

int clock_part(const std::string& hhmm, std::size_t at) {
  return (hhmm[at] - '0') * 10 + (hhmm[at + 1] - '0');
}

}  // namespace

std::int64_t Notifier::Impl::wall_clock_ms() const {
  return options.wall_clock_ms ? options.wall_clock_ms() : engine::now_ms();
}

std::int64_t Notifier::Impl::backoff_ms(int attempts) const {
  const auto cap = options.retry_cap.count();
  std::int64_t delay = options.retry_base.count();
  for (int i = 1; i < attempts && delay < cap; ++i)
    delay *= 2;
  return std::min<std::int64_t>(delay, cap);
}

asio::awaitable<void> Notifier::Impl::send_loop() {
  auto self = shared_from_this();
  while (!stopping) {
    auto due = store->due(engine::now_ms());
    if (!due.ok()) {
      spdlog::error("notifications: {}", due.error().message);
      co_await sleep_until(send_timer, engine::now_ms() + options.retry_cap.count(),
                           engine::now_ms());
      continue;
    }
    if (due.value().empty()) {
      auto next = store->next_due();
      co_await sleep_until(send_timer, next.ok() ? next.value() : std::nullopt, engine::now_ms());
      continue;
    }
    for (const auto& entry : due.value()) {
      if (stopping) co_return;
      const auto cfg = config();
      const auto* channel = find_channel(*cfg, entry.channel);
      DeliveryResult result;
      if (channel == nullptr) {
        result.error = "channel '" + entry.channel + "' is no longer in project.toml";
      } else {
        auto work = [copy = *channel, record = entry.notification, timeout = options.send_timeout] {
          return deliver(copy, record, engine::now_ms(), timeout);
        };
        result = co_await offload(options.workers, work);
      }
      const std::int64_t now = engine::now_ms();
      if (result.ok) {
        (void)store->mark_sent(entry.id, now);
        spdlog::info("notification {} sent to {}", entry.notification.key, entry.channel);
      } else {
        const auto retry_at = now + backoff_ms(entry.attempts + 1);
        (void)store->mark_failed(entry.id, result.error, retry_at);
        spdlog::warn("notification {} to {} failed (attempt {}): {}; retry in {} ms",
                     entry.notification.key, entry.channel, entry.attempts + 1, result.error,
                     retry_at - now);
      }
    }
  }
}

// Every channel with `digest_at` gets one digest a day at that local time (`timezone`); the
// key (date and time) makes it one per day even across restarts.
asio::awaitable<void> Notifier::Impl::digest_loop() {
  auto self = shared_from_this();
  while (!stopping) {
    const auto cfg = config();
    auto zone = ZoneClock::load(cfg->timezone);
    if (!zone.ok()) {
      spdlog::error("notifications: digest: {}", zone.error());
      co_await sleep_until(digest_timer, std::nullopt, 0);
      continue;
    }
    const std::int64_t now = wall_clock_ms();
    std::map<std::int64_t, std::vector<std::string>> due_at;  // time -> channels
    for (const auto& channel : cfg->notify) {
      if (!channel.digest_at) continue;
      const auto at = zone.value().next_local_time_ms(now, clock_part(*channel.digest_at, 0),
                                                      clock_part(*channel.digest_at, 3));
      due_at[at].push_back(channel.name);
    }
    if (due_at.empty()) {
      co_await sleep_until(digest_timer, std::nullopt, 0);  // a config reload does not wake this
      continue;
    }
    const auto [when, channels] = *due_at.begin();
    co_await sleep_until(digest_timer, when, wall_clock_ms());
    if (stopping || wall_clock_ms() < when) continue;
    auto counts = store->pipeline_event_counts(when - std::int64_t{24} * 3600 * 1000);
    NotificationEvent digest{"digest",
                             "",
                             "stork daily digest " + zone.value().local_date(when),
                             counts.ok() ? digest_detail(counts.value()) : "",
                             "digest:" + zone.value().local_date(when) + ":" + std::to_string(when),
                             when};
    const std::string link_base = cfg->server.public_url.value_or(options.fallback_url);
    auto added =
        store->add(state::NotificationRecord{0, digest.key, when, digest.event, "", digest.title,
                                             digest.detail, item_link(link_base, ""), std::nullopt},
                   channels, wall_clock_ms());
    if (added.ok() && added.value()) {
      for (const auto& [id, listener] : listeners)
        listener(*added.value());
      wake();
    }
  }
}

}  // namespace stork::notify
