// Notifier: tells people when stork needs them (docs/notifications.md). It listens to the
// pipeline's events (blocked, merge_failed, review_hold, merged) and the runs' events (failed,
// rate limits), and takes other reports (permission requests) through notify(). Each becomes
// one stored notification (its idempotency key is unique) and one outbox row per channel that
// wants its event, in one transaction in state.db; a sender coroutine delivers the rows with
// libcurl on the shared worker pool, retries with capped exponential backoff and marks a row
// sent only after a 2xx (or SMTP's 250), so delivery is at least once and survives restarts.
// The pipeline's events are read back from its journal from a stored cursor at start, so an
// event recorded just before a crash is still notified.
//
// All state lives on one strand (the store, the listeners, the timers); there is no polling:
// the sender sleeps on a timer set to the next retry and is woken when a row is added.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/result.hpp"
#include "config/project_config.hpp"
#include "notify/notification_event.hpp"
#include "state/notification_store.hpp"

namespace stork::agents {
class AgentPool;
}
namespace stork::engine {
class Pipeline;
}

namespace stork::notify {

struct NotifierOptions {
  std::filesystem::path project_root;
  boost::asio::any_io_executor workers;  // the shared pool: every delivery runs there
  std::function<std::shared_ptr<const ProjectConfig>()> config;  // asked on every use
  // Links point at `[server] public_url`, or at this (the server's own address) without one.
  std::string fallback_url;
  std::chrono::milliseconds retry_base{1000};  // first retry after this, doubling each time
  std::chrono::milliseconds retry_cap{std::chrono::minutes(5)};
  std::chrono::milliseconds send_timeout{std::chrono::seconds(5)};
  // The daily digest's wall clock (ms since the epoch); none: the system clock. A test sets it
  // a second before a digest time instead of waiting for one.
  std::function<std::int64_t()> wall_clock_ms{};
};

using NotificationListener = std::function<void(const state::NotificationRecord&)>;

// What list() answers: the newest notifications and how many are unread in all.
struct NotificationPage {
  std::vector<state::NotificationRecord> items;
  std::int64_t unread = 0;
};

class Notifier {
 public:
  class Impl;

  static Result<std::unique_ptr<Notifier>, std::string> open(
      const boost::asio::any_io_executor& executor, NotifierOptions options);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Subscribes to the pipeline (after reading what its journal recorded since the last event
  // seen) and to the pool, makes every pending delivery due, and starts the sender and the
  // daily digest. Call once, after the pipeline started.
  boost::asio::awaitable<void> start(engine::Pipeline& pipeline, agents::AgentPool& pool);
  // Starts only the sender and the daily digest: a notifier fed by notify() alone. start()
  // calls it once the sources are heard.
  boost::asio::awaitable<void> start_delivery();
  boost::asio::awaitable<void> stop();

  // Stores and queues `event` once per key (a second call with the same key does nothing).
  // Any thread; returns at once. The entry point for permission requests and other reports.
  void notify(NotificationEvent event);

  boost::asio::awaitable<Result<NotificationPage, std::string>> list(std::size_t limit,
                                                                     bool unread_only);
  // Marks `ids` read (every unread one when empty); returns how many changed.
  boost::asio::awaitable<Result<std::int64_t, std::string>> mark_read(
      std::vector<std::int64_t> ids);

  // Each new notification, on the notifier's strand (the board's live stream). Must not block.
  boost::asio::awaitable<std::uint64_t> subscribe(NotificationListener listener);
  boost::asio::awaitable<void> unsubscribe(std::uint64_t id);

 private:
  explicit Notifier(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace stork::notify
