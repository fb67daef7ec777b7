#include "engine/gate_runner.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agents/awaitable_result.hpp"
#include "support/temp_dir.hpp"

namespace stork::engine {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

GateResult run(GateSpec spec) {
  boost::asio::io_context io;
  auto future = boost::asio::co_spawn(io, agents::as_optional(run_gate(io.get_executor(), spec)),
                                      boost::asio::use_future);
  io.run();
  return std::move(*future.get());
}

TEST(GateRunner, PassingGateKeepsItsOutputAndLog) {
  testing::TempDir dir;
  auto result = run({"echo hello; echo from $STORK_STORY_ID",
                     dir.path(),
                     std::chrono::seconds(10),
                     dir / "logs/gate.log",
                     {{"STORK_STORY_ID", "1_story_x"}},
                     ""});
  EXPECT_TRUE(result.passed);
  EXPECT_EQ(result.outcome, "exit code 0");
  EXPECT_EQ(result.output_tail, "hello\nfrom 1_story_x\n");
  EXPECT_THAT(testing::read_text(dir / "logs/gate.log"), StartsWith("hello\nfrom 1_story_x\n"));
}

TEST(GateRunner, FailingGateReportsTheExitCodeAndStderr) {
  testing::TempDir dir;
  auto result = run({"echo bad >&2; exit 3", dir.path(), std::chrono::seconds(10), {}, {}, ""});
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.outcome, "exit code 3");
  EXPECT_EQ(result.output_tail, "bad\n");
}

TEST(GateRunner, GateOverItsTimeLimitFails) {
  testing::TempDir dir;
  auto result = run({"echo started; sleep 30", dir.path(), std::chrono::seconds(1), {}, {}, ""});
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.outcome, "timed out after 1 s");
  EXPECT_LT(result.duration, std::chrono::seconds(10));
  EXPECT_EQ(result.output_tail, "started\n");
}

TEST(GateRunner, MissingDirectoryIsAFailedGateThatSaysWhy) {
  auto result = run({"true", "/nonexistent/dir", std::chrono::seconds(5), {}, {}, ""});
  EXPECT_FALSE(result.passed);
  EXPECT_THAT(result.outcome, HasSubstr("/nonexistent/dir"));
}

TEST(GateRunner, LongOutputKeepsOnlyTheTail) {
  testing::TempDir dir;
  auto result = run({"seq 1 20000", dir.path(), std::chrono::seconds(10), {}, {}, ""});
  EXPECT_TRUE(result.passed);
  EXPECT_LE(result.output_tail.size(), kGateOutputTail + 100);
  EXPECT_THAT(result.output_tail, HasSubstr("\n20000\n"));
  EXPECT_THAT(result.output_tail, StartsWith("[... "));
}

TEST(TailOf, ShortTextIsKeptWhole) {
  EXPECT_EQ(tail_of("abc\n", 10), "abc\n");
}

}  // namespace
}  // namespace stork::engine

namespace stork::engine {
namespace {

// Issue 16, item 5: `yes` for two seconds writes a bounded log: its head, a note of what was
// dropped, and its tail.
TEST(GateRunnerLimits, EndlessOutputLeavesABoundedLogWithHeadTailAndDropNote) {
  testing::TempDir dir;
  GateSpec spec{"yes", dir.path(), std::chrono::seconds(2), dir / "logs/yes.log", {}, ""};
  spec.max_output_bytes = 64 * 1024;
  auto result = run(spec);
  EXPECT_EQ(result.outcome, "timed out after 2 s");
  EXPECT_LT(result.duration, std::chrono::seconds(15));
  const auto log = testing::read_text(dir / "logs/yes.log");
  EXPECT_LE(log.size(), spec.max_output_bytes + 300);
  EXPECT_THAT(log, StartsWith("y\ny\n"));
  EXPECT_THAT(log, HasSubstr(" lines dropped"));
  EXPECT_THAT(log, HasSubstr("y\n--- gate failed: timed out after 2 s\n"));
  EXPECT_THAT(result.output_tail, StartsWith("[... "));
  EXPECT_THAT(result.output_tail, HasSubstr("lines dropped"));
}

// Issue 16, item 7: a connected cancellation slot stops the command's process group.
TEST(GateRunnerLimits, CancellationStopsTheCommand) {
  testing::TempDir dir;
  boost::asio::io_context io;
  boost::asio::cancellation_signal signal;
  GateSpec spec{"echo started; sleep 60", dir.path(), std::chrono::seconds(60), {}, {}, ""};
  auto future = boost::asio::co_spawn(
      io, agents::as_optional(run_gate(io.get_executor(), spec, signal.slot())),
      boost::asio::use_future);
  boost::asio::steady_timer later(io, std::chrono::milliseconds(300));
  later.async_wait(
      [&](boost::system::error_code) { signal.emit(boost::asio::cancellation_type::terminal); });
  io.run();
  auto result = std::move(*future.get());
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.outcome, "cancelled");
  EXPECT_LT(result.duration, std::chrono::seconds(20));
}

}  // namespace
}  // namespace stork::engine
