// Notifier::notify, the entry point other modules (permission requests) call: stored once per
// key, told to listeners once, listed newest first, marked read; a real state.db, a real
// io_context and the shared-pool executor.
#include "notify/notifier.hpp"

#include <chrono>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "notify/zone_clock.hpp"
#include "state/sqlite.hpp"
#include "support/temp_dir.hpp"

namespace stork::notify {
namespace {

namespace asio = boost::asio;

TEST(Notifier, NotifyTwiceWithOneKey_OneNotificationOneListenerCall) {
  testing::TempDir project;
  asio::io_context io;
  asio::thread_pool workers(1);
  auto config = std::make_shared<ProjectConfig>();
  NotifierOptions options;
  options.project_root = project.path();
  options.workers = workers.get_executor();
  options.config = [config] { return config; };
  options.fallback_url = "http://127.0.0.1:3000";
  auto opened = Notifier::open(io.get_executor(), options);
  ASSERT_TRUE(opened.ok()) << opened.error();
  auto& notifier = *opened.value();

  int heard = 0;
  std::string link;
  NotificationPage page;
  auto scenario = [&]() -> asio::awaitable<void> {
    NotificationListener listener = [&](const state::NotificationRecord& record) {
      ++heard;
      link = record.link;
    };
    auto subscribing = notifier.subscribe(listener);
    co_await std::move(subscribing);
    NotificationEvent event{"permission_request", "7_story_a",    "coder-1 asks to run Bash",
                            "rm -rf build",       "permission:1", 0};
    notifier.notify(event);
    notifier.notify(event);  // a retry by the reporter: the same key
    auto listing = notifier.list(10, true);
    auto listed = co_await std::move(listing);
    EXPECT_TRUE(listed.ok());
    if (listed.ok()) page = listed.value();
    auto marking = notifier.mark_read({});
    auto marked = co_await std::move(marking);
    EXPECT_EQ(marked.ok() ? marked.value() : -1, 1);
  };
  auto done = asio::co_spawn(io, scenario(), asio::use_future);
  io.run();
  done.get();
  EXPECT_EQ(heard, 1);
  ASSERT_EQ(page.items.size(), 1U);
  EXPECT_EQ(page.unread, 1);
  EXPECT_EQ(page.items[0].event, "permission_request");
  EXPECT_EQ(page.items[0].key, "permission:1");
  EXPECT_EQ(link, "http://127.0.0.1:3000/items/7_story_a");
}

// The daily digest, with the notifier's wall clock set one second before 09:00 in Paris: the
// digest is stored once, keyed by the local date and instant, sent to the channel that asks for
// it, and counts only the pipeline events of the 24 hours before it.
TEST(Notifier, DailyDigestAtTheLocalTimeCountsTheLastDay) {
  testing::TempDir project;
  asio::io_context io;
  asio::thread_pool workers(1);
  auto config = std::make_shared<ProjectConfig>();
  config->timezone = "Europe/Paris";
  NotifyChannelConfig channel;
  channel.name = "team";
  channel.kind = "webhook";
  channel.url = "http://127.0.0.1:9/";  // nothing listens: delivery is retried, never lost
  channel.events = {"blocked"};
  channel.digest_at = "09:00";
  config->notify.push_back(channel);

  auto paris = ZoneClock::load("Europe/Paris");
  ASSERT_TRUE(paris.ok()) << paris.error();
  const auto real_now = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  const std::int64_t digest_at = paris.value().next_local_time_ms(real_now(), 9, 0);
  const std::int64_t offset = digest_at - 1000 - real_now();

  NotifierOptions options;
  options.project_root = project.path();
  options.workers = workers.get_executor();
  options.config = [config] { return config; };
  options.fallback_url = "http://127.0.0.1:3000";
  options.wall_clock_ms = [offset, real_now] { return real_now() + offset; };
  auto opened = Notifier::open(io.get_executor(), options);
  ASSERT_TRUE(opened.ok()) << opened.error();
  auto& notifier = *opened.value();

  {  // two merges and a block within the day, one merge the day before
    auto db = state::Database::open(project.path() / ".storkit" / "state.db");
    ASSERT_TRUE(db.ok());
    const std::int64_t hour = 3600 * 1000;
    const std::string rows =
        "INSERT INTO pipeline_events (time_ms, story, type, payload) VALUES (" +
        std::to_string(digest_at - hour) + ", '1_story_a', 'merged', '{}'), (" +
        std::to_string(digest_at - 2 * hour) + ", '2_story_b', 'merged', '{}'), (" +
        std::to_string(digest_at - 3 * hour) + ", '3_story_c', 'blocked', '{}'), (" +
        std::to_string(digest_at - 25 * hour) + ", '4_story_d', 'merged', '{}')";
    ASSERT_TRUE(db.value().exec(rows).ok());
  }

  std::vector<state::NotificationRecord> heard;
  NotificationPage page;
  auto scenario = [&]() -> asio::awaitable<void> {
    asio::steady_timer digest_heard(co_await asio::this_coro::executor);
    digest_heard.expires_at(asio::steady_timer::time_point::max());
    NotificationListener listener = [&](const state::NotificationRecord& record) {
      heard.push_back(record);
      digest_heard.cancel();
    };
    auto subscribing = notifier.subscribe(listener);
    co_await std::move(subscribing);
    auto starting = notifier.start_delivery();
    co_await std::move(starting);
    // The real signal is the listener; the bound only keeps a broken digest from hanging.
    asio::steady_timer bound(co_await asio::this_coro::executor, std::chrono::seconds(15));
    bound.async_wait([&](const boost::system::error_code&) { digest_heard.cancel(); });
    (void)co_await digest_heard.async_wait(asio::as_tuple(asio::use_awaitable));
    bound.cancel();
    auto listing = notifier.list(10, false);
    auto listed = co_await std::move(listing);
    if (listed.ok()) page = listed.value();
    auto stopping = notifier.stop();
    co_await std::move(stopping);
  };
  auto done = asio::co_spawn(io, scenario(), asio::use_future);
  io.run();
  done.get();
  ASSERT_EQ(heard.size(), 1U);
  const auto& digest = heard[0];
  EXPECT_EQ(digest.event, "digest");
  const std::string date = paris.value().local_date(digest_at);
  EXPECT_EQ(digest.title, "stork daily digest " + date);
  EXPECT_EQ(digest.key, "digest:" + date + ":" + std::to_string(digest_at));
  EXPECT_EQ(digest.time_ms, digest_at);
  EXPECT_EQ(digest.detail,
            "last 24 hours: 2 merged, 1 blocked, 0 failed merges, 0 waiting for review, 0 created");
  ASSERT_EQ(page.items.size(), 1U);
  EXPECT_EQ(page.items[0].key, digest.key);
}

}  // namespace
}  // namespace stork::notify
