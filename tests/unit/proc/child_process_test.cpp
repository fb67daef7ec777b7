#include "proc/child_process.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "process_test_support.hpp"
#include "support/temp_dir.hpp"

namespace stork::proc {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::ProcessRun;
using testing::shell;

// The behaviour that must not depend on how output is connected runs with a PTY and a pipe.
class ChildProcessBothModes : public ::testing::TestWithParam<bool> {
 protected:
  bool pty() const { return GetParam(); }
};

INSTANTIATE_TEST_SUITE_P(Output, ChildProcessBothModes, ::testing::Values(false, true),
                         [](const auto& test) { return test.param ? "Pty" : "Pipe"; });

TEST_P(ChildProcessBothModes, DeliversLinesAndExitCode) {
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("echo one; echo two; exit 3", pty())).ok());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("one", "two"));
  EXPECT_EQ(run.status->reason, ExitReason::Exited);
  EXPECT_EQ(run.status->exit_code, 3);
  EXPECT_EQ(run.status->describe(), "exit code 3");
  EXPECT_EQ(run.exit_calls, 1);
}

TEST_P(ChildProcessBothModes, StderrArrivesInOrderWithStdout) {
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("echo a; echo b >&2; echo c", pty())).ok());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("a", "b", "c"));
  EXPECT_TRUE(run.status->succeeded());
}

TEST_P(ChildProcessBothModes, ReportsDeathBySignal) {
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("kill -SEGV $$", pty())).ok());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_EQ(run.status->reason, ExitReason::Signaled);
  EXPECT_EQ(run.status->term_signal, SIGSEGV);
  EXPECT_EQ(run.status->describe(), "killed by SIGSEGV");
}

TEST_P(ChildProcessBothModes, LastLineWithoutNewlineIsDelivered) {
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("printf 'a\\nlast'", pty())).ok());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("a", "last"));
  EXPECT_FALSE(run.lines_after_exit);
}

TEST_P(ChildProcessBothModes, AgentLeadsItsOwnSessionAndProcessGroup) {
  ProcessRun run;
  // Fields 5 and 6 of /proc/PID/stat are the process group and the session.
  ASSERT_TRUE(
      run.spawn(shell("read -r _ _ _ _ pgid sid _ < /proc/$$/stat; echo $$ $pgid $sid", pty()))
          .ok());
  ASSERT_TRUE(run.wait_for_exit());
  const std::string pid = std::to_string(run.child->pid());
  EXPECT_THAT(run.lines, ElementsAre(pid + " " + pid + " " + pid));
}

TEST_P(ChildProcessBothModes, OutputOfAGrandchildIsAllDeliveredBeforeExit) {
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("(seq 1 20000; echo done) & wait", pty())).ok());
  ASSERT_TRUE(run.wait_for_exit());
  ASSERT_EQ(run.lines.size(), 20001u);
  EXPECT_EQ(run.lines[19999], "20000");
  EXPECT_EQ(run.lines.back(), "done");
  EXPECT_FALSE(run.lines_after_exit);
  EXPECT_TRUE(run.status->succeeded());
}

TEST_P(ChildProcessBothModes, LinesOfOneReadArriveAsOneBatch) {
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("seq 1 100000", pty())).ok());
  ASSERT_TRUE(run.wait_for_exit());
  ASSERT_EQ(run.lines.size(), 100000u);
  EXPECT_EQ(run.lines.back(), "100000");
  EXPECT_LT(run.batches, 10000);  // far fewer calls than lines
}

TEST_P(ChildProcessBothModes, RunningUntilTheExitIsKnown) {
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("echo started; sleep 30", pty())).ok());
  EXPECT_TRUE(run.wait_for_line("started"));
  EXPECT_TRUE(run.child->running());
  run.child->kill();
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_FALSE(run.child->running());
}

TEST(ChildProcess, PtyIsARawTerminal) {
  ProcessRun run;
  // With output post-processing on, "x\r\n" would arrive as "x\r\r\n", i.e. the line "x\r".
  ASSERT_TRUE(
      run.spawn(shell("test -t 0 && test -t 1 && echo tty; stty size; printf 'x\\r\\n'", true))
          .ok());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("tty", "50 200", "x"));
}

TEST(ChildProcess, PtyIsTheControllingTerminal) {
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("exec 3</dev/tty && echo has-ctty", true)).ok());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("has-ctty"));
}

TEST(ChildProcess, StdinDataReachesTheChildAndIsClosed) {
  ProcessRun run;
  SpawnOptions options;
  options.argv = {"cat"};
  options.stdin_data = "hello\nworld\n";
  ASSERT_TRUE(run.spawn(options).ok());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("hello", "world"));
}

TEST(ChildProcess, LargeStdinDataIsFedCompletely) {
  ProcessRun run;
  SpawnOptions options;
  options.argv = {"wc", "-c"};
  options.stdin_data = std::string(300000, 'x');
  ASSERT_TRUE(run.spawn(options).ok());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("300000"));
}

TEST(ChildProcess, StdinIsDevNullWithoutStdinData) {
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("cat; echo eof")).ok());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("eof"));
}

// The agent's parent is the stork-supervise program, not a fork of this process: a fork would
// copy our page tables and make every page we write while the agent runs copied again.
TEST(ChildProcess, TheSupervisorIsItsOwnProgramNotACopyOfTheServer) {
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("echo up; exec sleep 30")).ok());
  ASSERT_TRUE(run.wait_for_line("up"));
  std::ifstream stat("/proc/" + std::to_string(run.child->pid()) + "/stat");
  std::string pid, name, state;
  pid_t parent = 0;
  stat >> pid >> name >> state >> parent;
  ASSERT_GT(parent, 0);
  std::error_code ec;
  const auto program =
      std::filesystem::read_symlink("/proc/" + std::to_string(parent) + "/exe", ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(program.filename(), "stork-supervise");
  EXPECT_NE(parent, ::getpid());
  run.child->kill();
  ASSERT_TRUE(run.wait_for_exit());
}

TEST(ChildProcess, StdinDataWithPtyIsRefused) {
  ProcessRun run;
  SpawnOptions options = shell("cat", true);
  options.stdin_data = "x";
  auto result = run.spawn(options);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message, HasSubstr("stdin_data"));
}

// A streamed stdin stays open while the child runs: each write is read as it arrives (the
// child answers the first line before the second is written), and close_stdin gives EOF.
TEST(ChildProcess, StreamedStdinIsWrittenWhileTheChildRunsAndClosedOnRequest) {
  ProcessRun run;
  SpawnOptions options = shell("while read -r line; do echo \"got $line\"; done; echo eof");
  options.stdin_stream = true;
  ASSERT_TRUE(run.spawn(options).ok());
  ASSERT_TRUE(run.child->write_stdin("one\n"));
  ASSERT_TRUE(run.wait_for_line("got one"));
  ASSERT_TRUE(run.child->write_stdin("two\n"));
  run.child->close_stdin();
  EXPECT_FALSE(run.child->write_stdin("three\n"));
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("got one", "got two", "eof"));
  EXPECT_TRUE(run.status->succeeded());
}

TEST(ChildProcess, WriteStdinIsRefusedWithoutAStreamedStdin) {
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("cat; echo eof")).ok());
  EXPECT_FALSE(run.child->write_stdin("lost\n"));
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("eof"));
}

// The child closed its stdin before the write: the bytes are dropped with EPIPE, nothing
// raises SIGPIPE (which would end this test program).
TEST(ChildProcess, WritingToAClosedStreamedStdinIsHarmless) {
  ProcessRun run;
  SpawnOptions options = shell("exec 0<&-; echo closed; sleep 0.5; echo end");
  options.stdin_stream = true;
  ASSERT_TRUE(run.spawn(options).ok());
  ASSERT_TRUE(run.wait_for_line("closed"));
  EXPECT_TRUE(run.child->write_stdin(std::string(1 << 20, 'x')));
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("closed", "end"));
  EXPECT_FALSE(run.child->write_stdin("late\n"));
}

TEST(ChildProcess, StreamedStdinWithPtyIsRefused) {
  ProcessRun run;
  SpawnOptions options = shell("cat", true);
  options.stdin_stream = true;
  auto result = run.spawn(options);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message, HasSubstr("stdin_stream"));
}

TEST(ChildProcess, EnvironmentDropsClaudecodeAndUnsetEnvAndAppliesSetEnv) {
  ::setenv("CLAUDECODE", "1", 1);
  ::setenv("STORK_PROC_TEST_DROP", "dropped", 1);
  ::setenv("STORK_PROC_TEST_KEEP", "kept", 1);
  ProcessRun run;
  SpawnOptions options;
  options.argv = {"env"};
  options.unset_env = {"STORK_PROC_TEST_DROP"};
  options.set_env = {{"STORK_PROC_TEST_SET", "value with spaces"}};
  ASSERT_TRUE(run.spawn(options).ok());
  ASSERT_TRUE(run.wait_for_exit());
  ::unsetenv("CLAUDECODE");
  EXPECT_THAT(run.lines, Contains("STORK_PROC_TEST_SET=value with spaces"));
  EXPECT_THAT(run.lines, Contains("STORK_PROC_TEST_KEEP=kept"));
  EXPECT_THAT(run.lines, Not(Contains("STORK_PROC_TEST_DROP=dropped")));
  EXPECT_THAT(run.lines, Not(Contains("CLAUDECODE=1")));
}

TEST(ChildProcess, RunsInTheGivenDirectory) {
  stork::testing::TempDir dir;
  ProcessRun run;
  SpawnOptions options;
  options.argv = {"pwd"};
  options.cwd = dir.path();
  ASSERT_TRUE(run.spawn(options).ok());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre(std::filesystem::canonical(dir.path()).string()));
}

TEST(ChildProcess, FindsTheProgramOnTheChildsPath) {
  stork::testing::TempDir dir;
  stork::testing::write_text(dir / "stork-test-agent", "#!/bin/sh\necho scripted agent\n");
  std::filesystem::permissions(dir / "stork-test-agent", std::filesystem::perms::owner_all);
  ProcessRun run;
  SpawnOptions options;
  options.argv = {"stork-test-agent"};
  options.set_env = {{"PATH", dir.path().string() + ":/usr/bin:/bin"}};
  ASSERT_TRUE(run.spawn(options).ok());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("scripted agent"));
}

TEST(ChildProcess, MissingProgramFailsWithAMessageNamingIt) {
  stork::testing::TempDir dir;
  ProcessRun run;
  SpawnOptions options;
  options.argv = {"claudex-not-installed"};
  options.cwd = dir.path();
  auto result = run.spawn(options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "cannot run 'claudex-not-installed': No such file or "
            "directory (cwd " +
                dir.path().string() + ")");
  EXPECT_THAT(testing::zombie_children(), IsEmpty());
}

TEST(ChildProcess, NonExecutableProgramFails) {
  stork::testing::TempDir dir;
  stork::testing::write_text(dir / "not-executable", "#!/bin/sh\n");
  ProcessRun run;
  SpawnOptions options;
  options.argv = {(dir / "not-executable").string()};
  auto result = run.spawn(options);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message, HasSubstr("Permission denied"));
}

TEST(ChildProcess, MissingDirectoryFailsWithAMessageNamingIt) {
  ProcessRun run;
  SpawnOptions options;
  options.argv = {"true"};
  options.cwd = "/nonexistent/stork-dir";
  auto result = run.spawn(options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "cannot run 'true': cannot enter directory '/nonexistent/stork-dir': No such file or "
            "directory");
}

TEST(ChildProcess, KeepsRunningAndReportsAfterTheCallerDropsIt) {
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("sleep 0.1; echo still here")).ok());
  std::weak_ptr<ChildProcess> weak = run.child;
  run.child.reset();
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("still here"));
  run.io.restart();
  run.io.poll();
  EXPECT_TRUE(weak.expired());
}

}  // namespace
}  // namespace stork::proc
