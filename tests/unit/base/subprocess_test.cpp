#include "base/subprocess.hpp"

#include <csignal>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

TEST(RunCommand, CapturesStdoutStderrAndExitCode) {
  Command command{{"sh", "-c", "echo out; echo err >&2; exit 3"}, {}, {}, {}, {}};
  auto result = run_command(command);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->out, "out\n");
  EXPECT_EQ(result->err, "err\n");
  EXPECT_EQ(result->exit_code, 3);
  EXPECT_FALSE(result->succeeded());
}

TEST(RunCommand, MergeStderrKeepsBothStreamsInWriteOrder) {
  Command command{{"sh", "-c", "echo one; echo two >&2; echo three"}, {}, {}, {}, {}};
  command.merge_stderr = true;
  auto result = run_command(command);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->out, "one\ntwo\nthree\n");
  EXPECT_EQ(result->err, "");
}

TEST(RunCommand, ArgumentsAreNotShellExpanded) {
  Command command{{"echo", "$HOME", "`id`", "a;b"}, {}, {}, {}, {}};
  EXPECT_EQ(run_command(command)->out, "$HOME `id` a;b\n");
}

TEST(RunCommand, RunsInTheGivenDirectoryWithEnvironmentChanges) {
  testing::TempDir dir;
  setenv("STORK_TEST_REMOVE_ME", "present", 1);
  Command command{{"sh", "-c", "pwd; echo \"$STORK_A|${STORK_TEST_REMOVE_ME:-unset}\""},
                  dir.path(),
                  {{"STORK_A", "set"}},
                  {"STORK_TEST_REMOVE_ME"},
                  {}};
  auto result = run_command(command);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->out, std::filesystem::canonical(dir.path()).string() + "\nset|unset\n");
}

TEST(RunCommand, FeedsStdin) {
  Command command{{"tr", "a-z", "A-Z"}, {}, {}, {}, "hello\n"};
  EXPECT_EQ(run_command(command)->out, "HELLO\n");
}

TEST(RunCommand, LargeOutputOnBothStreamsDoesNotDeadlock) {
  Command command{
      {"sh", "-c",
       "head -c 300000 /dev/zero | tr '\\0' a; head -c 300000 /dev/zero | tr '\\0' b >&2"},
      {},
      {},
      {},
      {}};
  auto result = run_command(command);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->out.size(), 300000u);
  EXPECT_EQ(result->err.size(), 300000u);
}

TEST(RunCommand, ReportsTheKillingSignal) {
  Command command{{"sh", "-c", "kill -TERM $$"}, {}, {}, {}, {}};
  auto result = run_command(command);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->term_signal, SIGTERM);
  EXPECT_FALSE(result->succeeded());
}

TEST(RunCommand, MissingProgramIsAnErrorNamingIt) {
  Command command{{"stork-no-such-program-xyz"}, {}, {}, {}, {}};
  auto result = run_command(command);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message, HasSubstr("stork-no-such-program-xyz"));
}

TEST(RunCommand, ChildThatIgnoresStdinDoesNotKillUs) {
  std::signal(SIGPIPE, SIG_IGN);
  Command command{{"true"}, {}, {}, {}, std::string(1 << 20, 'x')};
  auto result = run_command(command);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->succeeded());
}

}  // namespace
}  // namespace stork
