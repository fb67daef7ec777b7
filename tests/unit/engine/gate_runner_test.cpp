#include "engine/gate_runner.hpp"

#include <boost/asio/io_context.hpp>
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
