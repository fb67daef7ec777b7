// Issue 16, item 4: a run's log file is closed when the run ends. The server's open
// descriptors, counted in /proc, come back to where they were after N short runs.
#include <filesystem>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "harden_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using testing::HardenTest;
using testing::http_call;

std::size_t open_fds(pid_t pid) {
  std::size_t count = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error)) {
    (void)entry;
    ++count;
  }
  return count;
}

class RunResources : public HardenTest {
 protected:
  void SetUp() override {
    HardenTest::SetUp();
    // A helper (neither coder, QA nor mergemaster: no gate, no retries) that prints and ends.
    testing::write_text(root_ / ".storkit/project.toml",
                        "[[agent]]\nname = \"helper\"\nruntime = \"command\"\n"
                        "command = \"/bin/sh\"\nargs = [\"-c\", \"echo one; echo two\"]\n");
  }

  // Starts the helper on item 7 and waits until its run has ended.
  void one_run(unsigned short port, int n) {
    auto started =
        http_call(port, "POST", "/api/agents/start", {{"Content-Type", "application/json"}},
                  R"({"story_id":"7","agent":"helper"})");
    ASSERT_EQ(started.status, 201) << started.body;
    const auto run_id = json::serialize(testing::parse_json(started.body).at("run_id"));
    ASSERT_TRUE(testing::eventually(
        [&] {
          auto runs = testing::parse_json(http_call(port, "GET", "/api/runs?limit=1000").body);
          if (!runs.is_object()) return false;
          for (const auto& run : runs.at("runs").as_array()) {
            if (json::serialize(run.at("run_id")) == run_id) return !run.at("active").as_bool();
          }
          return false;
        },
        20s))
        << "run " << n << " did not end";
  }
};

TEST_F(RunResources, LogFilesCloseWhenRunsEnd_DescriptorsReturnToStart) {
  auto server = serving();
  const auto port = server->port();
  one_run(port, 0);  // warm up: the state database, the first log directory, the pools
  const auto before = open_fds(server->pid());
  ASSERT_GT(before, 0U);
  constexpr int kRuns = 12;
  for (int n = 1; n <= kRuns; ++n)
    one_run(port, n);
  EXPECT_TRUE(testing::eventually([&] { return open_fds(server->pid()) <= before + 2; }, 5s))
      << "open descriptors: " << before << " before, " << open_fds(server->pid()) << " after "
      << kRuns << " runs";
}

}  // namespace
}  // namespace stork
