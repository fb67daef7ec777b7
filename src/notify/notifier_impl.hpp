// Notifier's state, on one strand: the store, the live listeners, the sender's and the
// digest's timers. Private to notify/ (notifier.cpp: intake and queries; notifier_sender.cpp:
// delivery and the digest).
#pragma once

#include <map>
#include <memory>
#include <optional>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "notify/notifier.hpp"

namespace stork::notify {

class Notifier::Impl : public std::enable_shared_from_this<Notifier::Impl> {
 public:
  Impl(const boost::asio::any_io_executor& executor, NotifierOptions options_in,
       std::unique_ptr<state::NotificationStore> store_in);

  // ---- intake (strand) ----
  // Stores the notification and its outbox rows (channels that want the event), moves the
  // pipeline cursor when given, tells the listeners and wakes the sender.
  void record(const NotificationEvent& event, std::optional<std::int64_t> pipeline_seq);
  void on_pipeline_event(const engine::PipelineEvent& event);
  boost::asio::awaitable<void> catch_up(engine::Pipeline& pipeline);

  // ---- delivery (strand) ----
  boost::asio::awaitable<void> send_loop();
  boost::asio::awaitable<void> digest_loop();
  void wake() { send_timer.cancel(); }
  std::int64_t backoff_ms(int attempts) const;

  std::shared_ptr<const ProjectConfig> config() const { return options.config(); }
  std::int64_t wall_clock_ms() const;  // the digest's clock

  boost::asio::strand<boost::asio::any_io_executor> strand;
  NotifierOptions options;
  std::unique_ptr<state::NotificationStore> store;
  boost::asio::steady_timer send_timer;
  boost::asio::steady_timer digest_timer;
  std::map<std::uint64_t, NotificationListener> listeners;
  std::uint64_t next_listener = 1;
  engine::Pipeline* pipeline = nullptr;
  agents::AgentPool* pool = nullptr;
  std::uint64_t pipeline_listener = 0;
  std::uint64_t pool_listener = 0;
  bool started = false;
  bool stopping = false;
};

}  // namespace stork::notify
