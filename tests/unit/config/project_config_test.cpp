#include "config/project_config.hpp"

#include <gtest/gtest.h>

namespace stork {
namespace {

TEST(InferAgentStage, FollowsStorkitNamingRule) {
  EXPECT_EQ(infer_agent_stage("qa"), AgentStage::Qa);
  EXPECT_EQ(infer_agent_stage("mergemaster"), AgentStage::Mergemaster);
  EXPECT_EQ(infer_agent_stage("coder-1"), AgentStage::Coder);
  EXPECT_EQ(infer_agent_stage("coder"), AgentStage::Coder);
  EXPECT_EQ(infer_agent_stage("supervisor"), AgentStage::Other);
  EXPECT_EQ(infer_agent_stage("qa-2"), AgentStage::Other);
}

TEST(RenderPrompt, ReplacesEveryPlaceholder) {
  PromptValues values{"42_story_login", "coder-1", "/tmp/wt", "main"};
  EXPECT_EQ(render_prompt(
                "{{agent_name}} on {{story_id}} in {{worktree_path}} from {{base_branch}}", values),
            "coder-1 on 42_story_login in /tmp/wt from main");
}

TEST(RenderPrompt, LeavesUnknownBracesAndRepeatsKnownOnes) {
  PromptValues values{"1_story_a", "qa", "/w", "dev"};
  EXPECT_EQ(render_prompt("{{story_id}} {{story_id}} {{other}} {{", values),
            "1_story_a 1_story_a {{other}} {{");
}

TEST(ParseEnums, RoundTripThroughText) {
  for (auto mode : {QaMode::Server, QaMode::Agent, QaMode::Human})
    EXPECT_EQ(parse_qa_mode(to_string(mode)), mode);
  for (auto stage :
       {AgentStage::Coder, AgentStage::Qa, AgentStage::Mergemaster, AgentStage::Other}) {
    EXPECT_EQ(parse_agent_stage(to_string(stage)), stage);
  }
  EXPECT_FALSE(parse_qa_mode("Server"));
  EXPECT_FALSE(parse_agent_stage("tester"));
}

}  // namespace
}  // namespace stork
