// Issue 16, item 1: five writers on one item, each owning one field, through every surface at
// once: the CLI on the file (--local, under the store's lock), the CLI through the running
// server, REST criteria, REST PATCH and MCP record_tests. Every read-modify-write is atomic, so
// each writer's last value is in place at the end and no write is reverted.
#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "harden_fixture.hpp"

namespace stork {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using testing::HardenTest;
using testing::http_call;

constexpr int kIterations = 30;

class LostEdits : public HardenTest {};

std::string read_item(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Before each write, every writer checks that its own previous value is still in the file:
// nobody else writes that field, so finding anything else means another writer's
// read-modify-write reverted it (a lost edit), which the final state alone often hides.
TEST_F(LostEdits, FiveWritersOnOneItem_EveryLastValueStays) {
  auto server = serving();
  const auto port = server->port();
  testing::McpHttpClient mcp(port);
  ASSERT_TRUE(mcp.initialize());
  const testing::HeaderList json_type{{"Content-Type", "application/json"}};
  const auto file = root_ / ".storkit/work/1_backlog/7_story_greet.md";
  std::vector<std::string> failures[5];
  std::atomic<int> reverted{0};
  auto still = [&](int writer, int i, const std::vector<std::string>& any_of) {
    if (i == 0) return;
    const auto text = read_item(file);
    for (const auto& wanted : any_of)
      if (text.find(wanted) != std::string::npos) return;
    ++reverted;
    failures[writer].push_back("before write " + std::to_string(i) + ", '" + any_of.front() +
                               "' was gone:\n" + text);
  };
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> writers;
  // CLI on the file (--local, under the store's lock): owns blocked_reason.
  writers.emplace_back([&] {
    for (int i = 0; i < kIterations; ++i) {
      const auto last = "cli-" + std::to_string(i - 1);
      still(0, i, {last + "\n", last + "\"", last + "'"});
      auto done = stork({"story", "block", "7", "--local", "--reason", "cli-" + std::to_string(i)});
      if (done.exit_code != 0) failures[0].push_back(done.err);
    }
  });
  // CLI through the server: owns criterion 0 (ends checked).
  writers.emplace_back([&] {
    for (int i = 0; i < kIterations; ++i) {
      still(1, i, {(i - 1) % 2 == 0 ? "- [ ] prints hello" : "- [x] prints hello"});
      std::vector<std::string> args{"story", "check", "7", "0"};
      if (i % 2 == 0) args.emplace_back("--uncheck");
      auto done = stork(args);
      if (done.exit_code != 0) failures[1].push_back(done.err);
    }
  });
  // REST criteria: owns criterion 1 (ends unchecked).
  writers.emplace_back([&] {
    for (int i = 0; i < kIterations; ++i) {
      still(2, i, {(i - 1) % 2 == 0 ? "- [x] exits zero" : "- [ ] exits zero"});
      const bool checked = i % 2 == 0;
      auto answer = http_call(port, "POST", "/api/items/7/criteria/1", json_type,
                              checked ? R"({"checked":true})" : R"({"checked":false})");
      if (answer.status != 200) failures[2].push_back(answer.body);
    }
  });
  // REST PATCH: owns the name.
  writers.emplace_back([&] {
    for (int i = 0; i < kIterations; ++i) {
      still(3, i, {"name: patched-" + std::to_string(i - 1) + "\n"});
      auto answer = http_call(port, "PATCH", "/api/items/7", json_type,
                              R"({"name":"patched-)" + std::to_string(i) + R"("})");
      if (answer.status != 200) failures[3].push_back(answer.body);
    }
  });
  // MCP record_tests: owns test_results.
  writers.emplace_back([&] {
    for (int i = 0; i < kIterations; ++i) {
      still(4, i, {"passed " + std::to_string(i - 1) + ", failed 0"});
      auto response = mcp.call_tool(
          "record_tests", R"({"story_id":"7","passed":)" + std::to_string(i) + R"(,"failed":0})",
          100 + i);
      if (!response.is_object() || response.as_object().contains("error") ||
          response.at("result").at("isError").as_bool())
        failures[4].push_back(json::serialize(response));
    }
  });
  for (auto& writer : writers)
    writer.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 180s);
  EXPECT_EQ(reverted.load(), 0);
  for (const auto& failed : failures)
    EXPECT_TRUE(failed.empty()) << failed.size() << " failures; the first: " << failed.front();

  auto item = testing::parse_json(http_call(port, "GET", "/api/items/7").body);
  ASSERT_TRUE(item.is_object()) << server->output();
  EXPECT_EQ(item.at("blocked_reason"), json::value("cli-" + std::to_string(kIterations - 1)));
  EXPECT_EQ(item.at("criteria").at(0).at("checked"), json::value(true));
  EXPECT_EQ(item.at("criteria").at(1).at("checked"), json::value(false));
  EXPECT_EQ(item.at("name"), json::value("patched-" + std::to_string(kIterations - 1)));
  EXPECT_EQ(item.at("front_matter").at("test_results"),
            json::value("passed " + std::to_string(kIterations - 1) + ", failed 0"));
}

// Without a server the CLI edits the file itself; with one it goes through the server (the
// board hears of it): both answer "<id>: blocked".
TEST_F(LostEdits, CliEditsThroughTheRunningServer) {
  auto offline = stork({"story", "block", "7", "--reason", "offline"});
  ASSERT_EQ(offline.exit_code, 0) << offline.err;
  EXPECT_EQ(offline.out, "7_story_greet: blocked\n");
  auto server = serving();
  auto online = stork({"story", "unblock", "7"});
  ASSERT_EQ(online.exit_code, 0) << online.err;
  EXPECT_EQ(online.out, "7_story_greet: unblocked\n");
  auto events = http_call(server->port(), "GET", "/api/events");
  EXPECT_NE(events.body.find("unblocked"), std::string::npos) << events.body;
}

}  // namespace
}  // namespace stork
