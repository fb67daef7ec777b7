// How processes end: timeouts, stop/kill, and the guarantee that nothing an agent started
// outlives it or the server.
#include <atomic>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/strand.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "proc/child_process.hpp"
#include "process_test_support.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace stork::proc {
namespace {

using testing::eventually;
using ::testing::IsEmpty;
using testing::process_exists;
using testing::process_group_exists;
using testing::ProcessRun;
using testing::shell;
using namespace std::chrono_literals;

using Clock = std::chrono::steady_clock;

std::vector<pid_t> pids_in(const std::vector<std::string>& lines) {
  std::vector<pid_t> pids;
  for (const auto& line : lines)
    pids.push_back(std::stoi(line));
  return pids;
}

TEST(ChildProcessLifetime, InactivityTimeoutKillsASilentProcessAndItsGroup) {
  ProcessRun run;
  SpawnOptions options = shell("sleep 30 & sleep 30");
  options.inactivity_timeout = 300ms;
  const auto started = Clock::now();
  ASSERT_TRUE(run.spawn(options).ok());
  ASSERT_TRUE(run.wait_for_exit(5s));
  EXPECT_GE(Clock::now() - started, 300ms);
  EXPECT_EQ(run.status->reason, ExitReason::Inactive);
  EXPECT_EQ(run.status->term_signal, SIGKILL);
  EXPECT_EQ(run.status->describe(), "inactive: no output for 300 ms (killed by SIGKILL)");
  EXPECT_FALSE(process_group_exists(run.child->pid()));
}

TEST(ChildProcessLifetime, OutputKeepsTheInactivityTimerAway) {
  ProcessRun run;
  SpawnOptions options = shell("for i in 1 2 3 4 5 6 7 8; do echo $i; sleep 0.1; done");
  options.inactivity_timeout = 500ms;
  ASSERT_TRUE(run.spawn(options).ok());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_EQ(run.status->reason, ExitReason::Exited);
  EXPECT_EQ(run.lines.size(), 8u);
}

TEST(ChildProcessLifetime, AHeldInactivityTimeoutWaitsAndCountsAfreshOnRelease) {
  stork::testing::TempDir dir;
  const auto waited = dir.path() / "waited";
  ProcessRun run;
  // Silent for a second (three timeouts) while held, as an agent waiting on a person is.
  SpawnOptions options = shell("sleep 1; touch '" + waited.string() + "'; sleep 30");
  options.inactivity_timeout = 300ms;
  ASSERT_TRUE(run.spawn(options).ok());
  run.child->hold_inactivity(true);
  ASSERT_TRUE(run.run_until([&] { return std::filesystem::exists(waited) || run.status; }, 5s));
  ASSERT_FALSE(run.status) << "killed while held: " << run.status->describe();
  const auto released = Clock::now();
  run.child->hold_inactivity(false);
  ASSERT_TRUE(run.wait_for_exit(5s));
  EXPECT_GE(Clock::now() - released, 300ms);
  EXPECT_EQ(run.status->reason, ExitReason::Inactive);
  EXPECT_FALSE(process_group_exists(run.child->pid()));
}

TEST(ChildProcessLifetime, StopEscalatesToSigkillWhenSigtermIsIgnored) {
  ProcessRun run;
  SpawnOptions options = shell("trap '' TERM; echo ready; while :; do sleep 0.05; done");
  options.stop_grace = 300ms;
  ASSERT_TRUE(run.spawn(options).ok());
  ASSERT_TRUE(run.wait_for_line("ready"));
  const auto stopped = Clock::now();
  run.child->stop();
  ASSERT_TRUE(run.wait_for_exit(5s));
  EXPECT_GE(Clock::now() - stopped, 300ms);
  EXPECT_EQ(run.status->reason, ExitReason::Stopped);
  EXPECT_EQ(run.status->term_signal, SIGKILL);
  EXPECT_EQ(run.status->describe(), "stopped");
  EXPECT_FALSE(process_group_exists(run.child->pid()));
}

TEST(ChildProcessLifetime, StopEndsACooperativeProcessWithSigterm) {
  ProcessRun run;
  SpawnOptions options;
  options.argv = {"sleep", "30"};
  options.stop_grace = 10s;
  ASSERT_TRUE(run.spawn(options).ok());
  const auto stopped = Clock::now();
  run.child->stop();
  ASSERT_TRUE(run.wait_for_exit(5s));
  EXPECT_LT(Clock::now() - stopped, 5s);
  EXPECT_EQ(run.status->reason, ExitReason::Stopped);
  EXPECT_EQ(run.status->term_signal, SIGTERM);
}

TEST(ChildProcessLifetime, KillEndsTheWholeGroupAtOnce) {
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("sleep 30 & echo $!; wait")).ok());
  ASSERT_TRUE(run.wait_for_lines(1));
  const pid_t background = std::stoi(run.lines.front());
  run.child->kill();
  ASSERT_TRUE(run.wait_for_exit(5s));
  EXPECT_EQ(run.status->reason, ExitReason::Stopped);
  EXPECT_EQ(run.status->term_signal, SIGKILL);
  EXPECT_FALSE(process_exists(background));
}

class ChildProcessDescendants : public ::testing::TestWithParam<bool> {};
INSTANTIATE_TEST_SUITE_P(Output, ChildProcessDescendants, ::testing::Values(false, true),
                         [](const auto& test) { return test.param ? "Pty" : "Pipe"; });

TEST_P(ChildProcessDescendants, BackgroundAndSetsidGrandchildrenDieWithTheAgent) {
  stork::testing::TempDir dir;
  const std::string marker = (dir / "setsid.pid").string();
  // The setsid'ed one writes its own pid once it is in its new session; the agent waits for
  // that, then exits leaving both sleeps behind.
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("sleep 300 & echo $!; "
                              "setsid sh -c 'echo $$ > \"$0\"; exec sleep 300' '" +
                                  marker +
                                  "' & "
                                  "while [ ! -s '" +
                                  marker + "' ]; do sleep 0.01; done; cat '" + marker + "'",
                              GetParam()))
                  .ok());
  ASSERT_TRUE(run.wait_for_exit());
  ASSERT_EQ(run.lines.size(), 2u);
  for (pid_t pid : pids_in(run.lines))
    EXPECT_FALSE(process_exists(pid)) << pid;
  EXPECT_TRUE(run.status->succeeded());
}

TEST(ChildProcessLifetime, ManyProcessesInParallelAreAllReaped) {
  boost::asio::io_context io;
  constexpr int kCount = 20;
  int exited = 0;
  std::vector<pid_t> pids;
  for (int i = 0; i < kCount; ++i) {
    ProcessHandlers handlers;
    handlers.on_exit = [&](const ExitStatus& status) {
      EXPECT_EQ(status.exit_code, 7);
      ++exited;
    };
    auto child = ChildProcess::spawn(io.get_executor(),
                                     shell("sleep 0.1 & echo $$; wait; exit 7", i % 2 == 0),
                                     std::move(handlers));
    ASSERT_TRUE(child.ok()) << child.error().message;
    pids.push_back(child.value()->pid());
  }
  io.run_for(10s);
  EXPECT_EQ(exited, kCount);
  EXPECT_THAT(testing::zombie_children(), IsEmpty());
  for (pid_t pid : pids)
    EXPECT_FALSE(process_exists(pid)) << pid;
}

// A server that shuts down without stopping its agents (its io_context is destroyed with their
// operations pending) still takes them down: closing the lifeline is enough.
TEST(ChildProcessLifetime, DestroyingTheIoContextEndsTheProcessTree) {
  std::vector<pid_t> pids;
  {
    ProcessRun run;
    ASSERT_TRUE(run.spawn(shell("setsid sleep 300 & echo $!; echo $$; wait")).ok());
    ASSERT_TRUE(run.wait_for_lines(2));
    pids = pids_in(run.lines);
  }
  EXPECT_TRUE(eventually(
      [&] {
        for (pid_t pid : pids)
          if (process_exists(pid)) return false;
        return true;
      },
      3s));
  EXPECT_THAT(testing::zombie_children(), IsEmpty());
}

TEST(ChildProcessLifetime, WorksOnAStrandOfAMultiThreadedIoContext) {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::thread first([&] { io.run(); });
  std::thread second([&] { io.run(); });
  auto strand = boost::asio::make_strand(io);
  std::atomic<int> exited = 0;
  std::atomic<int> lines = 0;
  std::vector<std::shared_ptr<ChildProcess>> children;
  for (int i = 0; i < 6; ++i) {
    ProcessHandlers handlers;
    handlers.on_lines = [&](std::vector<std::string>& batch) {
      lines += static_cast<int>(batch.size());
    };
    handlers.on_exit = [&](const ExitStatus&) { ++exited; };
    auto child = ChildProcess::spawn(strand, shell("seq 1 1000", i % 2 == 0), std::move(handlers));
    ASSERT_TRUE(child.ok());
    children.push_back(child.value());
  }
  children[0]->kill();  // from this thread, not the strand
  EXPECT_TRUE(eventually([&] { return exited == 6; }, 10s));
  work.reset();
  first.join();
  second.join();
  EXPECT_GE(lines.load(), 5000);
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// True once this process has no children left at all, reaping the ones that have exited.
bool no_children_left() {
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  return ::waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD;
}

// proc_test_host spawns the command twice (PTY and pipe) and serves forever; SIGKILL gives it
// no chance to clean up, so only the supervisors' lifeline can.
TEST(ChildProcessLifetime, KillMinus9OfTheServerLeavesNoProcessBehind) {
  // The host's orphaned supervisors come to us, so we can check that they exit too (and reap
  // them ourselves instead of leaving that to whatever init the machine has).
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  stork::testing::TempDir dir;
  const std::string pid_file = (dir / "pids").string();
  const std::string script = "sleep 300 & echo $! >> '" + pid_file +
                             "'; setsid sleep 300 & echo $! >> '" + pid_file + "'; echo $$ >> '" +
                             pid_file + "'; wait";
  std::vector<std::string> args = {PROC_TEST_HOST, "sh", "-c", script};
  std::vector<char*> argv;
  for (auto& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t host = -1;
  ASSERT_EQ(::posix_spawn(&host, PROC_TEST_HOST, nullptr, nullptr, argv.data(), environ), 0);

  const bool all_written = eventually([&] { return read_lines(pid_file).size() == 6; }, 10s);
  ::kill(host, SIGKILL);
  ::waitpid(host, nullptr, 0);
  ASSERT_TRUE(all_written) << read_lines(pid_file).size() << " pids written";

  const auto pids = pids_in(read_lines(pid_file));
  const bool all_gone = eventually(
      [&] {
        for (pid_t pid : pids)
          if (process_exists(pid)) return false;
        return true;
      },
      3s);
  EXPECT_TRUE(all_gone);
  for (pid_t pid : pids) {
    EXPECT_FALSE(process_exists(pid)) << pid;
    if (process_exists(pid)) ::kill(pid, SIGKILL);  // do not leave them to the next test
  }
  EXPECT_TRUE(eventually(no_children_left, 3s)) << "a supervisor is still running";
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
}

}  // namespace
}  // namespace stork::proc
