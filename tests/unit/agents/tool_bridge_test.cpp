// ToolBridge: an API run's tool calls as one co_await each, answered from another thread, cut
// at 100 KB, refused for bad arguments, and ended at once by cancel().
#include "agents/api/tool_bridge.hpp"

#include <atomic>
#include <functional>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stork::agents::api {
namespace {

namespace asio = boost::asio;
using ::testing::HasSubstr;

// Keeps every call's `done` for the test to answer (from any thread) or never answer.
class HeldToolHost final : public ToolHost {
 public:
  std::vector<ToolSpec> list_tools() const override { return {{"echo", "", "{}"}}; }
  void call(const std::string& name, const std::string& arguments, const ToolCaller& caller,
            std::function<void(ToolCallResult)> done) override {
    last_name = name;
    last_arguments = arguments;
    last_caller = caller;
    pending = std::move(done);
    ++calls;
    if (on_call) on_call();
  }
  std::string last_name;
  std::string last_arguments;
  ToolCaller last_caller;
  std::function<void(ToolCallResult)> pending;
  std::function<void()> on_call;
  int calls = 0;
};

class ToolBridgeTest : public ::testing::Test {
 protected:
  ToolBridgeTest()
      : host_(std::make_shared<HeldToolHost>()),
        bridge_(host_, ToolCaller{"1_story_a", "bot", "/tmp/wt"}) {}

  // Runs one call to completion on the io_context (one thread: this one).
  ToolCallResult call(const ToolCallRequest& request) {
    std::optional<ToolCallResult> result;
    // An answer from another thread is not work the io_context knows of: keep it running.
    auto guard = asio::make_work_guard(io_);
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          auto calling = bridge_.call(request);
          result = co_await std::move(calling);
          guard.reset();
        },
        asio::detached);
    io_.restart();
    io_.run();
    EXPECT_TRUE(result.has_value());
    return result.value_or(ToolCallResult{});
  }

  asio::io_context io_;
  std::shared_ptr<HeldToolHost> host_;
  ToolBridge bridge_;
};

TEST_F(ToolBridgeTest, AnswerFromAnotherThreadResumesTheCallWithIt) {
  std::thread answering;
  host_->on_call = [&] {
    answering = std::thread([done = host_->pending] { done({"pong", false}); });
  };
  auto result = call({"id-1", "echo", R"({"text":"ping"})"});
  answering.join();
  EXPECT_EQ(result.text, "pong");
  EXPECT_FALSE(result.is_error);
  EXPECT_EQ(host_->last_name, "echo");
  EXPECT_EQ(host_->last_arguments, R"({"text":"ping"})");
  EXPECT_EQ(host_->last_caller.story_id, "1_story_a");
  EXPECT_EQ(host_->last_caller.worktree, "/tmp/wt");
}

TEST_F(ToolBridgeTest, LongAnswersAreCutAt100KbWithANote) {
  host_->on_call = [&] { host_->pending({std::string(300 * 1024, 'x'), false}); };
  auto result = call({"id", "echo", "{}"});
  EXPECT_LT(result.text.size(), 101u * 1024);
  EXPECT_THAT(result.text, HasSubstr("cut at 100 KB"));
}

TEST_F(ToolBridgeTest, ArgumentsThatAreNotAnObjectAreAnErrorAndTheHostIsNotCalled) {
  auto not_json = call({"id", "echo", "{nope"});
  EXPECT_TRUE(not_json.is_error);
  EXPECT_THAT(not_json.text, HasSubstr("not a JSON object"));
  auto array = call({"id", "echo", "[1,2]"});
  EXPECT_TRUE(array.is_error);
  EXPECT_THAT(array.text, HasSubstr("got [1,2]"));
  EXPECT_EQ(host_->calls, 0);
}

TEST_F(ToolBridgeTest, CancelEndsAPendingCallAtOnceAndALateAnswerIsDropped) {
  // The host never answers by itself; cancel() comes from the io_context like a stop would.
  host_->on_call = [&] { asio::post(io_, [this] { bridge_.cancel(); }); };
  auto result = call({"id", "echo", "{}"});
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.text, "stopped");
  ASSERT_TRUE(host_->pending);
  host_->pending({"too late", false});  // no second resumption, no crash
  EXPECT_EQ(io_.poll(), 0u);
  // Every later call is answered "stopped" without the host.
  auto later = call({"id", "echo", "{}"});
  EXPECT_EQ(later.text, "stopped");
  EXPECT_EQ(host_->calls, 1);
}

TEST(ToolBridgeWithoutHost, SaysThatNoToolsAreAvailable) {
  asio::io_context io;
  ToolBridge bridge(nullptr, ToolCaller{});
  EXPECT_TRUE(bridge.tools().empty());
  std::optional<ToolCallResult> result;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto calling = bridge.call({"id", "echo", "{}"});
        result = co_await std::move(calling);
      },
      asio::detached);
  io.run();
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->is_error);
  EXPECT_THAT(result->text, HasSubstr("No tools"));
}

}  // namespace
}  // namespace stork::agents::api
