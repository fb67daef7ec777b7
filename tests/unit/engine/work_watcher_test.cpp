#include "engine/work_watcher.hpp"

#include <atomic>
#include <mutex>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork::engine {
namespace {

class Watcher : public ::testing::Test {
 protected:
  Watcher() : guard_(boost::asio::make_work_guard(io_)) {
    std::filesystem::create_directories(dir_ / "work/1_backlog");
    std::filesystem::create_directories(dir_ / "work/2_current");
  }
  ~Watcher() override {
    if (watcher_) boost::asio::post(io_, [this] { watcher_->stop(); });
    guard_.reset();
    thread_.join();
  }
  void start() {
    auto watcher =
        WorkWatcher::start(io_.get_executor(), dir_ / "work", std::chrono::milliseconds(50),
                           [this](const WorkWatcher::Burst& burst) {
                             std::lock_guard lock(mutex_);
                             bursts_.push_back(burst);
                             ++calls_;
                           });
    ASSERT_TRUE(watcher.ok()) << watcher.error();
    watcher_ = std::move(watcher.value());
    thread_ = std::thread([this] { io_.run(); });
  }
  bool calls_reach(int n, std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (calls_ >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return calls_ >= n;
  }
  WorkWatcher::Burst burst(size_t index) {
    std::lock_guard lock(mutex_);
    return bursts_.at(index);
  }

  testing::TempDir dir_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::unique_ptr<WorkWatcher> watcher_;
  std::thread thread_;
  std::atomic<int> calls_{0};
  std::mutex mutex_;
  std::vector<WorkWatcher::Burst> bursts_;
};

TEST_F(Watcher, FileMovedBetweenStagesIsNoticed) {
  testing::write_text(dir_ / "work/1_backlog/1_story_a.md", "x");
  start();
  std::filesystem::rename(dir_ / "work/1_backlog/1_story_a.md",
                          dir_ / "work/2_current/1_story_a.md");
  ASSERT_TRUE(calls_reach(1));
  // The pipeline re-reads that one item, not the whole work directory.
  EXPECT_FALSE(burst(0).everything);
  EXPECT_EQ(burst(0).files, std::set<std::string>{"1_story_a.md"});
}

TEST_F(Watcher, TempFilesAreNotNamedButTheRenamedItemIs) {
  start();
  // What an atomic write does: a hidden temp file, then a rename onto the item's name.
  testing::write_text(dir_ / "work/1_backlog/.1_story_a.md.tmp", "x");
  std::filesystem::rename(dir_ / "work/1_backlog/.1_story_a.md.tmp",
                          dir_ / "work/1_backlog/1_story_a.md");
  testing::write_text(dir_ / "work/1_backlog/notes.txt", "x");
  ASSERT_TRUE(calls_reach(1));
  EXPECT_FALSE(burst(0).everything);
  EXPECT_EQ(burst(0).files, std::set<std::string>{"1_story_a.md"});
}

TEST_F(Watcher, BurstOfChangesIsOneCallback) {
  start();
  for (int i = 0; i < 20; ++i)
    testing::write_text(dir_ / "work/1_backlog" / (std::to_string(i) + "_story_a.md"), "x");
  ASSERT_TRUE(calls_reach(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(calls_.load(), 1);
}

TEST_F(Watcher, StageDirectoryCreatedLaterIsWatched) {
  start();
  std::filesystem::create_directories(dir_ / "work/5_done");
  ASSERT_TRUE(calls_reach(1));
  EXPECT_TRUE(burst(0).everything);  // a stage directory changed: only a full re-read knows
  testing::write_text(dir_ / "work/5_done/1_story_a.md", "x");
  EXPECT_TRUE(calls_reach(2));
}

TEST(WatcherStart, MissingDirectoryIsAnErrorNamingIt) {
  boost::asio::io_context io;
  auto watcher =
      WorkWatcher::start(io.get_executor(), "/nonexistent/work", std::chrono::milliseconds(50),
                         [](const WorkWatcher::Burst&) {});
  ASSERT_FALSE(watcher.ok());
  EXPECT_NE(watcher.error().find("/nonexistent/work"), std::string::npos);
}

}  // namespace
}  // namespace stork::engine
