#include "proc/launch_plan.hpp"

#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stork::proc {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
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
  LaunchPlan plan;
  prepare_launch_plan(options, plan);
  EXPECT_THAT(plan.candidate_storage, ElementsAre("/opt/agents/bin/prog"));
  ASSERT_EQ(plan.argv.size(), 2u);
  EXPECT_EQ(plan.argv.back(), nullptr);
}

}  // namespace
}  // namespace stork::proc
