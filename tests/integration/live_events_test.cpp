// Live events for changes nobody announced: the real `stork serve`, a WebSocket client
// subscribed to the pipeline, and changes made by another process (`stork story new`) or by
// hand (a file copied in, moved between stages, its front matter edited). Each must reach the
// client within a second, and a burst of 200 files a bounded number of messages.
#include <chrono>
#include <functional>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "../unit/http/http_test_client.hpp"
#include "serve_process.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using http::testing::WsTestClient;
using testing::ServeProcess;

std::string item_text(const std::string& name) {
  return "---\nname: " + name + "\n---\n\n## Acceptance Criteria\n\n- [ ] works\n";
}

class LiveEvents : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_ / ".storkit/work/1_backlog");
    testing::init_repo(root_);
    testing::write_text(root_ / ".gitignore", ".storkit/state.db*\n.storkit/logs/\n");
    testing::write_text(root_ / ".storkit/project.toml", "");
    testing::write_text(root_ / ".storkit/work/1_backlog/1_story_first.md", item_text("First"));
    testing::git(root_, {"add", "-A"});
    testing::git(root_, {"commit", "-qm", "project"});
    server_ = std::make_unique<ServeProcess>(
        std::vector<std::string>{"serve", "--port", "0", "--project", root_.string()}, root_,
        dir_ / "logs");
    ASSERT_TRUE(server_->wait_listening()) << server_->output();
    ws_ = std::make_unique<WsTestClient>(server_->port(), "/ws");
    ASSERT_TRUE(ws_->connected()) << ws_->error();
    ASSERT_TRUE(ws_->send(R"({"type":"subscribe","pipeline":true})"));
    auto subscribed = next_message(
        [](const json::object& message) { return message.at("type") == "subscribed"; }, 5s);
    ASSERT_TRUE(subscribed) << server_->output();
  }

  // The first message that `matches`, counting every message received meanwhile.
  std::optional<json::object> next_message(const std::function<bool(const json::object&)>& matches,
                                           std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return std::nullopt;
      auto text = ws_->receive(left);
      if (!text) return std::nullopt;
      ++received_;
      auto message = json::parse(*text).as_object();
      if (matches(message)) return message;
    }
  }

  std::optional<json::object> pipeline_event(const std::string& type, const std::string& story,
                                             std::chrono::milliseconds within = 1000ms) {
    return next_message(
        [&](const json::object& message) {
          return message.at("type") == "pipeline_event" &&
                 message.at("event_type") == json::value(type) &&
                 message.at("story") == json::value(story);
        },
        within);
  }

  testing::TempDir dir_;
  fs::path root_ = dir_ / "repo";
  std::unique_ptr<ServeProcess> server_;
  std::unique_ptr<WsTestClient> ws_;
  int received_ = 0;
};

TEST_F(LiveEvents, StoryNewInAnotherProcess_ArrivesAsItemCreatedWithinASecond) {
  auto created = testing::run_stork({"story", "new", "--name", "From the CLI"}, root_);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const auto start = std::chrono::steady_clock::now();
  auto event = pipeline_event("item_created", "2_story_from_the_cli");
  ASSERT_TRUE(event) << server_->output();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1000ms);
  const auto& item = event->at("payload").at("item").as_object();
  EXPECT_EQ(item.at("name"), "From the CLI");
  EXPECT_EQ(item.at("stage"), "backlog");
}

TEST_F(LiveEvents, FileCopiedInByHand_ArrivesAsItemCreated) {
  testing::write_text(dir_ / "3_bug_by_hand.md", item_text("By hand"));
  fs::copy_file(dir_ / "3_bug_by_hand.md", root_ / ".storkit/work/1_backlog/3_bug_by_hand.md");
  auto event = pipeline_event("item_created", "3_bug_by_hand");
  ASSERT_TRUE(event) << server_->output();
  EXPECT_EQ(event->at("payload").at("item").at("type"), "bug");
}

TEST_F(LiveEvents, HandMoveAndFrontMatterEdit_ArriveAsMovedAndItemChangedWithTheFields) {
  fs::create_directories(root_ / ".storkit/work/5_done");
  fs::rename(root_ / ".storkit/work/1_backlog/1_story_first.md",
             root_ / ".storkit/work/5_done/1_story_first.md");
  auto moved = pipeline_event("moved", "1_story_first");
  ASSERT_TRUE(moved) << server_->output();
  EXPECT_EQ(moved->at("payload").at("from"), "backlog");
  EXPECT_EQ(moved->at("payload").at("to"), "done");

  testing::write_text(root_ / ".storkit/work/5_done/1_story_first.md",
                      "---\nname: Renamed\nblocked: true\n---\n\nbody\n");
  auto changed = pipeline_event("item_changed", "1_story_first");
  ASSERT_TRUE(changed) << server_->output();
  const auto& fields = changed->at("payload").at("fields").as_object();
  EXPECT_EQ(fields.at("name"), "Renamed");
  EXPECT_EQ(fields.at("blocked"), true);
  EXPECT_TRUE(fields.contains("body"));
  EXPECT_EQ(changed->at("payload").at("item").at("flags").at("blocked"), true);

  fs::remove(root_ / ".storkit/work/5_done/1_story_first.md");
  EXPECT_TRUE(pipeline_event("item_removed", "1_story_first")) << server_->output();
}

TEST_F(LiveEvents, BurstOf200Files_IsFewMessagesEndingInOneReload) {
  for (int n = 100; n < 300; ++n) {
    testing::write_text(dir_ / "burst.md", item_text("Burst " + std::to_string(n)));
    fs::copy_file(dir_ / "burst.md",
                  root_ / ".storkit/work/1_backlog" / (std::to_string(n) + "_story_burst.md"));
    fs::remove(dir_ / "burst.md");
  }
  int created = 0;
  auto reloaded = next_message(
      [&](const json::object& message) {
        if (message.at("type") != "pipeline_event") return false;
        if (message.at("event_type") == "item_created") ++created;
        if (message.at("event_type") != "work_reloaded") return false;
        created += static_cast<int>(message.at("payload").at("changes").to_number<double>());
        return created >= 200;
      },
      5s);
  ASSERT_TRUE(reloaded) << "created " << created << "\n" << server_->output();
  EXPECT_LE(received_, 1 + 10) << "messages for 200 files";
}

}  // namespace
}  // namespace stork
