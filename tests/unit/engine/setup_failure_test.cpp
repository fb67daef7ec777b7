// Setup problems are not attempts (issue 15): an agent that cannot be executed, a gate that is
// not executable or not there. Each blocks the item at once with the cause in the reason, and
// the retry count stays where it was, because retrying cannot fix the setup and the work is not
// at fault.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/gate_runner.hpp"
#include "pipeline_fixture.hpp"

namespace stork::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

class SetupFailure : public PipelineTest {
 protected:
  bool blocked(const std::string& id) {
    return eventually([&] { return front_matter(id).find("blocked: true") != std::string::npos; });
  }
};

TEST_F(SetupFailure, AgentThatCannotBeExecutedBlocksWithoutConsumingARetry) {
  add_item(Stage::Current, "1_story_ok");
  TestAgent missing{"coder-1", "coder"};
  missing.command = "/no/such/agent-binary";
  open_pipeline({missing});
  ASSERT_TRUE(blocked("1_story_ok")) << front_matter("1_story_ok");
  const auto text = front_matter("1_story_ok");
  EXPECT_THAT(text, HasSubstr("never started"));
  EXPECT_THAT(text, HasSubstr("/no/such/agent-binary"));
  EXPECT_THAT(text, HasSubstr("no attempt was counted"));
  EXPECT_THAT(text, Not(HasSubstr("retry_count")));
  ASSERT_TRUE(wait_until_idle());
  const auto runs = run(pool_->list_agents());
  ASSERT_EQ(runs.size(), 1U);  // one run, not max_retries + 1 of them
  EXPECT_TRUE(runs[0].setup_failure);
  EXPECT_THAT(runs[0].exit_reason, HasSubstr("setup: "));
  EXPECT_THAT(event_types("1_story_ok"), Not(Contains("retry")));
}

TEST_F(SetupFailure, GateThatIsNotExecutableBlocksAfterOneAttemptNamingExit126) {
  add_item(Stage::Current, "1_story_ok");
  write_text(root() / "script/not-executable", "#!/bin/sh\nexit 0\n");  // mode 0644
  open_pipeline({}, "gate_command = \"script/not-executable\"");
  ASSERT_TRUE(blocked("1_story_ok")) << front_matter("1_story_ok");
  const auto text = front_matter("1_story_ok");
  EXPECT_THAT(text, HasSubstr("the gate never ran"));
  EXPECT_THAT(text, HasSubstr("exit 126"));
  EXPECT_THAT(text, HasSubstr("chmod +x"));
  EXPECT_THAT(text, Not(HasSubstr("retry_count")));
  EXPECT_EQ(attempts("1_story_ok"), 1);
}

TEST_F(SetupFailure, GateThatIsNotThereBlocksAfterOneAttemptNamingExit127) {
  add_item(Stage::Current, "1_story_ok");
  open_pipeline({}, "gate_command = \"script/not-committed\"");
  ASSERT_TRUE(blocked("1_story_ok")) << front_matter("1_story_ok");
  const auto text = front_matter("1_story_ok");
  EXPECT_THAT(text, HasSubstr("exit 127"));
  EXPECT_THAT(text, HasSubstr("script/not-committed: not found"));
  EXPECT_EQ(attempts("1_story_ok"), 1);
  EXPECT_THAT(event_types("1_story_ok"), Not(Contains("retry")));
}

TEST(GateSetupProblem, OrdinaryFailuresAreNotSetupProblems) {
  EXPECT_FALSE(engine::gate_setup_problem(1, "test failed").has_value());
  EXPECT_FALSE(engine::gate_setup_problem(2, "").has_value());
  auto missing = engine::gate_setup_problem(127, "x\nsh: 1: script/test: not found\ny\n");
  ASSERT_TRUE(missing.has_value());
  EXPECT_THAT(*missing, HasSubstr("(sh: 1: script/test: not found)"));
}

// The issue's own case: base_branch names a branch the repository does not have. The worktree
// cannot be made; the block reason is git's one line that says so, not the command and its
// whole output, and no attempt is counted.
TEST_F(SetupFailure, BaseBranchThatDoesNotExistBlocksWithGitsOwnLine) {
  add_item(Stage::Current, "1_story_ok");
  open_pipeline({{"coder-1", "coder"}}, "base_branch = \"no-such-branch\"");
  ASSERT_TRUE(blocked("1_story_ok")) << front_matter("1_story_ok");
  const auto text = front_matter("1_story_ok");
  EXPECT_THAT(text, HasSubstr("agent 'coder-1' never started (fatal: "));
  EXPECT_THAT(text, HasSubstr("no-such-branch"));
  EXPECT_THAT(text, Not(HasSubstr("git worktree add")));
  EXPECT_THAT(text, HasSubstr("no attempt was counted"));
  EXPECT_THAT(text, Not(HasSubstr("retry_count")));
}

}  // namespace
}  // namespace stork::testing
