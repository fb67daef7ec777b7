#include "proc/launch_plan.hpp"

#include <cstdlib>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "proc/supervisor_arguments.hpp"

namespace stork::proc {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

TEST(LaunchPlan, CandidatesFollowPathOrder) {
  EXPECT_THAT(executable_candidates("git", "/usr/local/bin:/usr/bin/"),
              ElementsAre("/usr/local/bin/git", "/usr/bin/git"));
  EXPECT_THAT(executable_candidates("tool", "/a::/b"), ElementsAre("/a/tool", "./tool", "/b/tool"));
}

TEST(LaunchPlan, ProgramWithASlashIsNotSearched) {
  EXPECT_THAT(executable_candidates("./run.sh", "/usr/bin"), ElementsAre("./run.sh"));
}

TEST(LaunchPlan, EnvironmentDropsUnsetAndClaudecodeAndAppliesSetEnvLastWins) {
  ::setenv("CLAUDECODE", "1", 1);
  ::setenv("STORK_PLAN_DROP", "x", 1);
  ::setenv("STORK_PLAN_KEEP", "kept", 1);
  ::setenv("STORK_PLAN_OVERRIDE", "old", 1);
  SpawnOptions options;
  options.unset_env = {"STORK_PLAN_DROP"};
  options.set_env = {
      {"STORK_PLAN_OVERRIDE", "new"}, {"STORK_PLAN_NEW", "a"}, {"STORK_PLAN_NEW", "b"}};
  const auto environment = child_environment(options);
  EXPECT_THAT(environment, Contains("STORK_PLAN_KEEP=kept"));
  EXPECT_THAT(environment, Contains("STORK_PLAN_OVERRIDE=new"));
  EXPECT_THAT(environment, Contains("STORK_PLAN_NEW=b"));
  EXPECT_THAT(environment, Not(Contains("STORK_PLAN_NEW=a")));
  EXPECT_THAT(environment, Not(Contains("STORK_PLAN_DROP=x")));
  EXPECT_THAT(environment, Not(Contains("CLAUDECODE=1")));
  ::unsetenv("CLAUDECODE");
}

TEST(LaunchPlan, PathIsTakenFromTheChildEnvironment) {
  SpawnOptions options;
  options.argv = {"prog"};
  options.set_env = {{"PATH", "/opt/agents/bin"}};
  const LaunchPlan plan = prepare_launch_plan(options);
  EXPECT_THAT(plan.supervisor.candidates, ElementsAre("/opt/agents/bin/prog"));
  EXPECT_THAT(plan.supervisor.argv, ElementsAre("prog"));
  EXPECT_THAT(plan.environment, Contains("PATH=/opt/agents/bin"));
}

// The supervisor's command line carries any argv, cwd and candidates back unchanged.
TEST(SupervisorArguments, DecodeGivesBackWhatWasEncoded) {
  for (const auto& cwd : {std::string(), std::string("/work/a dir/--")}) {
    SupervisorArguments sent;
    sent.use_pty = cwd.empty();
    sent.agent_stdin = !cwd.empty();
    sent.cwd = cwd;
    sent.candidates = {"/usr/bin/x", "./--"};
    sent.argv = {"x", "", "--", "pty", "a b\nc"};
    const auto encoded = encode_supervisor_arguments(sent);
    std::vector<const char*> argv;
    for (const auto& argument : encoded)
      argv.push_back(argument.c_str());
    const auto received = decode_supervisor_arguments(static_cast<int>(argv.size()), argv.data());
    ASSERT_TRUE(received.has_value());
    EXPECT_EQ(received->use_pty, sent.use_pty);
    EXPECT_EQ(received->agent_stdin, sent.agent_stdin);
    EXPECT_EQ(received->cwd, sent.cwd);
    EXPECT_EQ(received->candidates, sent.candidates);
    EXPECT_EQ(received->argv, sent.argv);
  }
}

TEST(SupervisorArguments, AnyOtherCommandLineIsRefused) {
  const std::vector<std::vector<const char*>> refused = {
      {"stork-supervise"},
      {"stork-supervise", "pipe", "no-stdin", "", "0", "--"},           // no agent argv
      {"stork-supervise", "tty", "no-stdin", "", "0", "--", "x"},       // unknown mode
      {"stork-supervise", "pipe", "maybe", "", "0", "--", "x"},         // unknown stdin
      {"stork-supervise", "pipe", "stdin", "", "1", "/x", "x"},         // no "--"
      {"stork-supervise", "pipe", "stdin", "", "5", "/x", "--", "x"},   // too many
      {"stork-supervise", "pipe", "stdin", "", "-1", "--", "x"},        // negative
      {"stork-supervise", "pipe", "stdin", "", "1x", "/x", "--", "x"},  // not a number
  };
  for (const auto& argv : refused) {
    EXPECT_FALSE(decode_supervisor_arguments(static_cast<int>(argv.size()), argv.data()))
        << argv.size() << " arguments";
  }
}

// The standby's plan file carries any command line and environment back unchanged, empty
// strings included; a string is cut at its first NUL, as execve would read it.
TEST(StandbyPlan, DecodeGivesBackWhatWasEncoded) {
  const std::vector<std::string> command_line = {
      "stork-supervise", "pipe", "no-stdin", "", "0", "--", "x", "a b\nc", ""};
  const std::vector<std::string> environment = {"A=1", "EMPTY=", "=odd", ""};
  const auto received = decode_standby_plan(encode_standby_plan(command_line, environment));
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->command_line, command_line);
  EXPECT_EQ(received->environment, environment);

  const auto cut = decode_standby_plan(
      encode_standby_plan({std::string("ab\0cd", 5)}, {std::string("X=1\0Y=2", 7)}));
  ASSERT_TRUE(cut.has_value());
  EXPECT_THAT(cut->command_line, ElementsAre("ab"));
  EXPECT_THAT(cut->environment, ElementsAre("X=1"));

  const auto none = decode_standby_plan(encode_standby_plan({}, {}));
  ASSERT_TRUE(none.has_value());
  EXPECT_THAT(none->command_line, IsEmpty());
  EXPECT_THAT(none->environment, IsEmpty());
}

TEST(StandbyPlan, AnythingElseIsRefused) {
  using namespace std::string_literals;
  for (const auto& bytes : {""s, "\0"s, "x\0"s, "-1\0"s, "+1\0a\0"s, "1x\0a\0"s, "2\0a\0"s, "1\0a"s,
                            "0\0A=1"s, "99999999999999999999999\0"s}) {
    EXPECT_FALSE(decode_standby_plan(bytes)) << ::testing::PrintToString(bytes);
  }
}

}  // namespace
}  // namespace stork::proc
