// The standby supervisor (proc/standby_supervisor.hpp): a launch hands its agent to the
// stork-supervise program that waits for it, and leaves the next one waiting. Every case
// checks which supervisor ran the agent (the agent's parent in /proc), so none can pass by
// falling back to a supervisor started for the launch.
#include "proc/standby_supervisor.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process_test_support.hpp"
#include "support/temp_dir.hpp"

namespace stork::proc {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

pid_t parent_of(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string id, name, state;
  pid_t parent = 0;
  stat >> id >> name >> state >> parent;
  return parent;
}

// This process's children whose command line is `stork-supervise standby`.
std::vector<pid_t> waiting_standbys() {
  std::vector<pid_t> found;
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ignored)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = std::stoi(name);
    if (parent_of(pid) != ::getpid()) continue;
    std::ifstream file(entry.path() / "cmdline");
    const std::string command_line((std::istreambuf_iterator<char>(file)),
                                   std::istreambuf_iterator<char>());
    if (command_line == std::string("stork-supervise\0standby\0", 24)) found.push_back(pid);
  }
  return found;
}

// Runs /bin/true to its end: the launch after it finds a standby waiting.
void leave_a_standby_waiting() {
  ProcessRun warm;
  ASSERT_TRUE(warm.spawn(shell("true")).ok());
  ASSERT_TRUE(warm.wait_for_exit());
  ASSERT_THAT(waiting_standbys(), SizeIs(1));
}

// Starts `options` and expects it to run under the standby that was waiting; returns the run
// with the agent's output once it has ended.
void run_under_the_standby(ProcessRun& run, SpawnOptions options) {
  const auto waiting = waiting_standbys();
  ASSERT_THAT(waiting, SizeIs(1));
  // The agent stays until its supervisor is known, then does its work.
  auto spawned = run.spawn(std::move(options));
  ASSERT_TRUE(spawned.ok()) << spawned.error().message;
  EXPECT_EQ(parent_of(run.child->pid()), waiting.front());
  ASSERT_TRUE(run.wait_for_exit());
  // It is the agent's supervisor now, not a standby, and the launch left another waiting.
  const auto after = waiting_standbys();
  ASSERT_THAT(after, SizeIs(1));
  EXPECT_NE(after.front(), waiting.front());
}

TEST(StandbySupervisor, TheNextAgentGetsItsCommandEnvironmentAndDirectory) {
  stork::testing::TempDir dir;
  leave_a_standby_waiting();
  ProcessRun run;
  SpawnOptions options =
      shell("read -r line; echo \"$1|$STORK_STANDBY_TEST|$(pwd -P)|$line\"; sleep 0.2");
  options.argv.insert(options.argv.end(), {"sh", "an argument with spaces"});  // $0, $1
  options.set_env = {{"STORK_STANDBY_TEST", "from the plan"}};
  options.cwd = dir.path();
  options.stdin_data = "from stdin\n";
  run_under_the_standby(run, options);
  const std::string real_dir = std::filesystem::canonical(dir.path()).string();
  EXPECT_THAT(run.lines,
              ElementsAre("an argument with spaces|from the plan|" + real_dir + "|from stdin"));
  ASSERT_TRUE(run.status.has_value());
  EXPECT_EQ(run.status->exit_code, 0);
}

TEST(StandbySupervisor, APtyAgentGetsItsTerminalThroughTheStandby) {
  leave_a_standby_waiting();
  ProcessRun run;
  run_under_the_standby(run, shell("test -t 0 && test -t 1 && echo terminal; sleep 0.2", true));
  EXPECT_THAT(run.lines, ElementsAre("terminal"));
}

// A prompt on the command line is often tens of kilobytes: more than one socket message holds
// on some systems, which is why the plan travels in a memory file.
TEST(StandbySupervisor, ALongCommandLineArrivesWhole) {
  leave_a_standby_waiting();
  ProcessRun run;
  SpawnOptions options =
      shell("printf %s \"$1\" | wc -c; printf %s \"$1\" | tail -c 3; echo; sleep 0.2");
  options.argv.insert(options.argv.end(), {"sh", std::string(100'000, 'p') + "end"});
  run_under_the_standby(run, options);
  EXPECT_THAT(run.lines, ElementsAre("100003", "end"));
}

// "Inherit" means the server's directory at the launch, not where it was when the standby
// was started.
TEST(StandbySupervisor, AnInheritedDirectoryIsTheServersAtTheLaunch) {
  stork::testing::TempDir dir;
  const auto before = std::filesystem::current_path();
  leave_a_standby_waiting();
  std::filesystem::current_path(dir.path());
  ProcessRun run;
  run_under_the_standby(run, shell("pwd -P; sleep 0.2"));
  std::filesystem::current_path(before);
  EXPECT_THAT(run.lines, ElementsAre(std::filesystem::canonical(dir.path()).string()));
}

TEST(StandbySupervisor, ACommandThatCannotRunFailsAsWithoutAStandby) {
  leave_a_standby_waiting();
  const auto waiting = waiting_standbys();
  ProcessRun run;
  SpawnOptions options;
  options.argv = {"stork-no-such-program"};
  auto spawned = run.spawn(options);
  ASSERT_FALSE(spawned.ok());
  EXPECT_THAT(spawned.error().message,
              ::testing::StartsWith("cannot run 'stork-no-such-program': No such file"));
  // The standby took the plan, reported the failure and was reaped; another waits.
  EXPECT_FALSE(process_exists(waiting.front()));
  EXPECT_THAT(waiting_standbys(), SizeIs(1));
  EXPECT_THAT(zombie_children(), IsEmpty());
}

// Killed while it waits (by a person, or the OOM killer): the launch notices, reaps it and
// starts a supervisor of its own.
TEST(StandbySupervisor, AStandbyKilledWhileItWaitsIsReapedAndTheAgentStillRuns) {
  leave_a_standby_waiting();
  const pid_t killed = waiting_standbys().front();
  ASSERT_EQ(::kill(killed, SIGKILL), 0);
  ASSERT_TRUE(eventually([&] { return !zombie_children().empty(); }, 5s));
  ProcessRun run;
  ASSERT_TRUE(run.spawn(shell("echo ran; sleep 0.2")).ok());
  const pid_t supervisor = parent_of(run.child->pid());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("ran"));
  EXPECT_NE(supervisor, killed);
  EXPECT_THAT(zombie_children(), IsEmpty());
  EXPECT_THAT(waiting_standbys(), SizeIs(1));
}

// A standby nobody takes ends with the lifeline: here the server's end is dropped by hand, as
// the kernel drops it when the server exits (the kill -9 case is process_lifetime_test.cpp's).
TEST(StandbySupervisor, AStandbyWhoseLifelineClosesExits) {
  leave_a_standby_waiting();
  auto standby = take_standby_supervisor();
  ASSERT_TRUE(standby.has_value());
  standby->control.reset();
  int status = 0;
  ASSERT_EQ(::waitpid(standby->pid, &status, 0), standby->pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// Unlike a supervisor with an agent (which stops it gracefully first), a waiting standby has
// nothing to stop: SIGTERM ends it.
TEST(StandbySupervisor, SigtermEndsAWaitingStandby) {
  leave_a_standby_waiting();
  const pid_t standby = waiting_standbys().front();
  ASSERT_EQ(::kill(standby, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(standby, &status, 0), standby);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  ProcessRun run;  // the launch finds it gone and starts a supervisor of its own
  ASSERT_TRUE(run.spawn(shell("echo ran")).ok());
  ASSERT_TRUE(run.wait_for_exit());
  EXPECT_THAT(run.lines, ElementsAre("ran"));
}

}  // namespace
}  // namespace stork::proc
