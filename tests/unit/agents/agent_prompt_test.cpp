#include "agents/agent_prompt.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stork::agents {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

PromptInput input() {
  return {"42_story_login",
          "/repo/.storkit/worktrees/42_story_login",
          "main",
          "---\nname: Login\n---\n# Login\n",
          std::nullopt,
          std::nullopt,
          false};
}

TEST(AgentPrompt, ConfiguredTemplateHasItsPlaceholdersFilled) {
  AgentConfig agent;
  agent.name = "coder-1";
  agent.prompt = "{{agent_name}} works on {{story_id}} in {{worktree_path}} from {{base_branch}}";
  EXPECT_EQ(build_prompt(agent, input()),
            "coder-1 works on 42_story_login in /repo/.storkit/worktrees/42_story_login from main");
}

TEST(AgentPrompt, DefaultPromptCarriesTheItemText) {
  AgentConfig agent;
  agent.name = "coder-1";
  auto prompt = build_prompt(agent, input());
  EXPECT_THAT(prompt, HasSubstr("42_story_login"));
  EXPECT_THAT(prompt, HasSubstr("feature/story-42_story_login"));
  EXPECT_THAT(prompt, HasSubstr("# Login"));
}

TEST(AgentPrompt, ResumeContextIsAppended) {
  AgentConfig agent;
  agent.name = "coder-1";
  agent.prompt = "go";
  auto with_context = input();
  with_context.resume_context = "The gate failed:\nFAILED test_x";
  EXPECT_EQ(build_prompt(agent, with_context), "go\n\nThe gate failed:\nFAILED test_x");
  EXPECT_THAT(build_prompt(agent, input()), Not(HasSubstr("gate")));
}

// Story 543: a resumed session already holds the task; it is sent only what is new.
TEST(AgentPrompt, ResumedSessionGetsOnlyTheResumeContext) {
  AgentConfig agent;
  agent.name = "coder-1";
  auto resumed = input();
  resumed.resumed_session = true;
  resumed.resume_context = "The gate failed:\nFAILED test_x";
  EXPECT_EQ(build_prompt(agent, resumed), "The gate failed:\nFAILED test_x");
  resumed.resume_context.reset();
  const auto bare = build_prompt(agent, resumed);
  EXPECT_THAT(bare, HasSubstr("Continue your work on the work item 42_story_login"));
  EXPECT_THAT(bare, Not(HasSubstr("# Login")));
}

// Story 736: what happened while the agent was idle opens its first turn.
TEST(AgentPrompt, RecentEventsComeFirst) {
  AgentConfig agent;
  agent.name = "coder-1";
  agent.prompt = "go";
  auto with_events = input();
  with_events.recent_events = "<recent-events>\n- blocked\n</recent-events>";
  EXPECT_EQ(build_prompt(agent, with_events), "<recent-events>\n- blocked\n</recent-events>\n\ngo");
}

}  // namespace
}  // namespace stork::agents
