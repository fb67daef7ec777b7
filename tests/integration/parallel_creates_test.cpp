// Issue 16, item 2: every commit to the main checkout goes through one queue, and a commit git
// refuses is retried and then reported to the client. 3 × 30 concurrent creates: all 90 are
// created and committed, and the user's checkout is left clean.
#include <atomic>
#include <thread>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "harden_fixture.hpp"

namespace stork {
namespace {

using namespace std::chrono_literals;
using testing::HardenTest;
using testing::http_call;

class ParallelCreates : public HardenTest {};

TEST_F(ParallelCreates, NinetyConcurrentCreates_AllCommittedCheckoutClean) {
  auto server = serving();
  const auto port = server->port();
  std::atomic<int> created{0};
  std::vector<std::string> failures[3];
  std::vector<std::thread> clients;
  for (int client = 0; client < 3; ++client) {
    clients.emplace_back([&, client] {
      for (int i = 0; i < 30; ++i) {
        const auto name = "item " + std::to_string(client) + "-" + std::to_string(i);
        auto answer = http_call(port, "POST", "/api/items", {{"Content-Type", "application/json"}},
                                R"({"name":")" + name + R"("})", 30s);
        if (answer.status == 201) {
          ++created;
        } else {
          failures[client].push_back(std::to_string(answer.status) + " " + answer.body);
        }
      }
    });
  }
  for (auto& client : clients)
    client.join();
  for (const auto& failed : failures)
    EXPECT_TRUE(failed.empty()) << failed.front();
  EXPECT_EQ(created.load(), 90);
  const auto log = git_out({"log", "--format=%s"});
  int commits = 0;
  for (std::size_t at = log.find("storkit: create"); at != std::string::npos;
       at = log.find("storkit: create", at + 1))
    ++commits;
  EXPECT_EQ(commits, 90) << log;
  EXPECT_EQ(git_out({"status", "--porcelain"}), "");
}

// A lock git leaves behind (a crashed git, another tool) is not waited for forever: the create
// answers an error that says the item was written but not committed, naming git's complaint.
TEST_F(ParallelCreates, CommitRefusedByGit_IsAnErrorTheClientSees) {
  auto server = serving();
  testing::write_text(root_ / ".git" / "index.lock", "");
  auto answer = http_call(server->port(), "POST", "/api/items",
                          {{"Content-Type", "application/json"}}, R"({"name":"locked out"})", 30s);
  EXPECT_GE(answer.status, 500) << answer.body;
  EXPECT_NE(answer.body.find("refused to commit"), std::string::npos) << answer.body;
  EXPECT_NE(answer.body.find("index.lock"), std::string::npos) << answer.body;
}

}  // namespace
}  // namespace stork
