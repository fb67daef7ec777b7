// Notifier::notify, the entry point other modules (permission requests) call: stored once per
// key, told to listeners once, listed newest first, marked read; a real state.db, a real
// io_context and the shared-pool executor.
#include "notify/notifier.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace stork::notify
