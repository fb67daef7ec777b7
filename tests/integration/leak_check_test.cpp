// Issue 16, "How it is checked": a leak check. 50 short `command`-agent runs through a real
// `stork serve`; its open descriptors (/proc/PID/fd), threads (/proc/PID/task) and resident
// memory (VmRSS) after them stay within a small bound of where they were after a warm-up.
// Bounds: descriptors and threads +2 (a log or a worker may be mid-close when sampled); RSS
// +kRssSlackKb (the ASan build's allocator caches freed memory; its quarantine is set to 0 so
// that what is freed is reusable at once and only a leak grows memory).
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "harden_fixture.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using testing::HardenTest;
using testing::http_call;

constexpr int kRuns = 50;
constexpr long kRssSlackKb = 16 * 1024;

std::size_t entries(const fs::path& dir) {
  std::size_t count = 0;
  std::error_code error;
  for (auto it = fs::directory_iterator(dir, error); !error && it != fs::directory_iterator();
       it.increment(error))
    ++count;
  return count;
}

struct Sample {
  std::size_t fds = 0;
  std::size_t threads = 0;
  long rss_kb = 0;
};

Sample sample(pid_t pid) {
  const fs::path proc = "/proc/" + std::to_string(pid);
  Sample taken{entries(proc / "fd"), entries(proc / "task"), 0};
  std::ifstream status(proc / "status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) std::istringstream(line.substr(6)) >> taken.rss_kb;
  }
  return taken;
}

std::ostream& operator<<(std::ostream& out, const Sample& s) {
  return out << s.fds << " fds, " << s.threads << " threads, " << s.rss_kb << " kB RSS";
}

class LeakCheck : public HardenTest {
 protected:
  void SetUp() override {
    HardenTest::SetUp();
    testing::write_text(root_ / ".storkit/project.toml",
                        "[[agent]]\nname = \"helper\"\nruntime = \"command\"\n"
                        "command = \"/bin/sh\"\nargs = [\"-c\", \"echo one; echo two\"]\n");
  }

  std::string run_state(unsigned short port, const std::string& run_id) {
    auto runs = testing::parse_json(http_call(port, "GET", "/api/runs").body);
    if (!runs.is_object() || !runs.as_object().contains("runs")) return "";
    for (const auto& run : runs.at("runs").as_array()) {
      if (json::serialize(run.at("id")) == run_id)
        return run.at("finished").as_bool() ? "finished" : "running";
    }
    return "";
  }

  // Starts the helper on the item and waits until its run has ended.
  void one_run(unsigned short port, const std::string& story) {
    auto started =
        http_call(port, "POST", "/api/agents/start", {{"Content-Type", "application/json"}},
                  R"({"story_id":")" + story + R"(","agent":"helper"})");
    ASSERT_EQ(started.status, 201) << started.body;
    const auto run_id = json::serialize(testing::parse_json(started.body).at("run_id"));
    ASSERT_TRUE(testing::eventually([&] { return run_state(port, run_id) == "finished"; }, 20s))
        << "the run on " << story << " did not end";
  }
};

TEST_F(LeakCheck, FiftyRunsLeaveDescriptorsThreadsAndMemoryWhereTheyWere) {
  const char* asan = std::getenv("ASAN_OPTIONS");  // NOLINT(concurrency-mt-unsafe)
  auto server = serving(
      {}, {{"ASAN_OPTIONS", std::string(asan != nullptr ? asan : "") + ":quarantine_size_mb=0"}});
  const auto port = server->port();
  // A few items, each run in turn: the warm-up creates their worktrees, the measured runs
  // reuse them (a finished run's item and agent may be started again).
  constexpr std::size_t kItems = 5;
  std::vector<std::string> stories;
  for (std::size_t n = 0; n < kItems; ++n) {
    auto created = http_call(port, "POST", "/api/items", {{"Content-Type", "application/json"}},
                             R"({"name":"leak )" + std::to_string(n) + R"("})");
    ASSERT_EQ(created.status, 201) << created.body;
    stories.push_back(std::string(testing::parse_json(created.body).at("id").as_string()));
  }
  for (const auto& story : stories)  // warm-up: worktrees, state database, log directories
    one_run(port, story);
  const auto before = sample(server->pid());
  const auto started = std::chrono::steady_clock::now();
  for (int n = 0; n < kRuns; ++n)
    one_run(port, stories[static_cast<std::size_t>(n) % kItems]);
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);
  Sample after;
  const bool settled = testing::eventually(
      [&] {
        after = sample(server->pid());
        return after.fds <= before.fds + 2 && after.threads <= before.threads + 2 &&
               after.rss_kb <= before.rss_kb + kRssSlackKb;
      },
      5s);
  EXPECT_TRUE(settled) << "before: " << before << "; after " << kRuns << " runs: " << after;
  std::cout << "[leak check] " << kRuns << " runs in " << seconds.count()
            << " s; before: " << before << "; after: " << after << "\n";
}

}  // namespace
}  // namespace stork
