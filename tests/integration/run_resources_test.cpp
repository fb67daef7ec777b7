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

  // Starts the helper on item `story` and waits until its run has ended. The pool keeps one
  // entry per item and agent, so each run is on its own item (as the issue's 38 runs were).
  void one_run(unsigned short port, const std::string& story) {
    auto started =
        http_call(port, "POST", "/api/agents/start", {{"Content-Type", "application/json"}},
                  R"({"story_id":")" + story + R"(","agent":"helper"})");
    ASSERT_EQ(started.status, 201) << started.body;
    const auto answer = testing::parse_json(started.body);
    ASSERT_TRUE(answer.is_object() && answer.as_object().contains("run_id")) << started.body;
    const auto run_id = json::serialize(answer.at("run_id"));
    ASSERT_TRUE(testing::eventually(
        [&] {
          auto runs = testing::parse_json(http_call(port, "GET", "/api/runs").body);
          if (!runs.is_object() || !runs.as_object().contains("runs")) return false;
          for (const auto& run : runs.at("runs").as_array()) {
            if (json::serialize(run.at("id")) == run_id) return run.at("finished").as_bool();
          }
          return false;
        },
        20s))
        << "the run on " << story << " did not end";
  }
};

TEST_F(RunResources, LogFilesCloseWhenRunsEnd_DescriptorsReturnToStart) {
  auto server = serving();
  const auto port = server->port();
  constexpr int kRuns = 12;
  std::vector<std::string> stories;
  for (int n = 0; n <= kRuns; ++n) {
    auto created = http_call(port, "POST", "/api/items", {{"Content-Type", "application/json"}},
                             R"({"name":"item )" + std::to_string(n) + R"("})");
    ASSERT_EQ(created.status, 201) << created.body;
    stories.push_back(std::string(testing::parse_json(created.body).at("id").as_string()));
  }
  one_run(port, "7");  // warm up: the state database, the first log directory, the pools
  const auto before = open_fds(server->pid());
  ASSERT_GT(before, 0U);
  for (int n = 1; n <= kRuns; ++n)
    one_run(port, stories[static_cast<std::size_t>(n)]);
  EXPECT_TRUE(testing::eventually([&] { return open_fds(server->pid()) <= before + 2; }, 5s))
      << "open descriptors: " << before << " before, " << open_fds(server->pid()) << " after "
      << kRuns << " runs";
}

}  // namespace
}  // namespace stork
