#include "pipeline/agent_selection.hpp"

#include <gtest/gtest.h>

#include "pipeline_test_support.hpp"

namespace stork::pipeline {
namespace {

using testing::agent;
using testing::roster;
using testing::run;
using testing::standard_roster;
using testing::story;

const std::optional<std::string> kNoPreference;

// storkit available_agents_for_stage_returns_idle_agents.
TEST(PickAgent, PicksIdleAgentOfEachStage) {
  ProjectConfig config = standard_roster();
  BusyAgents busy = busy_agents({run(story(1), "coder-1")});
  AgentPick coder = pick_agent(config, AgentStage::Coder, kNoPreference, busy);
  EXPECT_EQ(coder.kind, AgentPick::Kind::Picked);
  EXPECT_EQ(coder.agent, "coder-2");
  AgentPick qa = pick_agent(config, AgentStage::Qa, kNoPreference, busy);
  EXPECT_EQ(qa.kind, AgentPick::Kind::Picked);
  EXPECT_EQ(qa.agent, "qa");
}

// storkit available_agents_for_stage_returns_empty_when_all_busy.
TEST(PickAgent, AllBusyWhenEveryAgentOfStageIsBusy) {
  ProjectConfig config = roster({agent("coder-1", AgentStage::Coder)});
  AgentPick pick =
      pick_agent(config, AgentStage::Coder, kNoPreference, busy_agents({run(story(1), "coder-1")}));
  EXPECT_EQ(pick.kind, AgentPick::Kind::AllBusy);
}

// storkit available_agents_for_stage_ignores_completed_agents.
TEST(PickAgent, CompletedRunDoesNotMakeAgentBusy) {
  ProjectConfig config = roster({agent("coder-1", AgentStage::Coder)});
  AgentPick pick = pick_agent(config, AgentStage::Coder, kNoPreference,
                              busy_agents({run(story(1), "coder-1", RunStatus::Completed)}));
  EXPECT_EQ(pick.kind, AgentPick::Kind::Picked);
  EXPECT_EQ(pick.agent, "coder-1");
}

TEST(PickAgent, NoneConfiguredWhenRosterLacksTheStage) {
  ProjectConfig config = roster({agent("coder-1", AgentStage::Coder)});
  EXPECT_EQ(pick_agent(config, AgentStage::Mergemaster, kNoPreference, {}).kind,
            AgentPick::Kind::NoneConfigured);
}

TEST(PickAgent, NeverPicksAgentOfAnotherStage) {
  ProjectConfig config = roster({agent("supervisor", AgentStage::Other),
                                 agent("qa", AgentStage::Qa), agent("coder-1", AgentStage::Coder)});
  AgentPick pick = pick_agent(config, AgentStage::Coder, kNoPreference, {});
  EXPECT_EQ(pick.agent, "coder-1");
}

// storkit start_agent_auto_selects_second_coder_when_first_busy.
TEST(SelectCoder, PicksSecondCoderWhenFirstBusy) {
  ProjectConfig config =
      roster({agent("supervisor", AgentStage::Other), agent("coder-1", AgentStage::Coder),
              agent("coder-2", AgentStage::Coder)});
  auto result = select_coder(story(42, "my_story"), kNoPreference, config,
                             {run(story(7, "other_story"), "coder-1")});
  ASSERT_TRUE(result.ok()) << message(result.error());
  EXPECT_EQ(*result, "coder-2");
}

TEST(SelectCoder, PicksFirstFreeCoderInRosterOrder) {
  ProjectConfig config =
      roster({agent("coder-b", AgentStage::Coder), agent("coder-a", AgentStage::Coder)});
  auto result = select_coder(story(1), kNoPreference, config, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, "coder-b");
}

// storkit start_agent_returns_busy_when_all_coders_occupied: a pending run counts as busy.
TEST(SelectCoder, AllCodersBusyWhenRunningAndPending) {
  ProjectConfig config =
      roster({agent("coder-1", AgentStage::Coder), agent("coder-2", AgentStage::Coder)});
  Runs runs = {run(story(1), "coder-1", RunStatus::Running),
               run(story(2), "coder-2", RunStatus::Pending)};
  auto result = select_coder(story(3), kNoPreference, config, runs);
  ASSERT_FALSE(result.ok());
  const auto* busy = std::get_if<AllCodersBusy>(&result.error());
  ASSERT_NE(busy, nullptr);
  EXPECT_EQ(busy->story, story(3));
}

// The busy error tells the user the item waits in 2_current (storkit story 203).
TEST(SelectCoder, AllCodersBusyMessageSaysItemIsQueuedInCurrent) {
  std::string text = AllCodersBusy{story(3, "x")}.message();
  EXPECT_NE(text.find("3_story_x"), std::string::npos) << text;
  EXPECT_NE(text.find("queued in work/2_current/"), std::string::npos) << text;
}

TEST(SelectCoder, CompletedRunsDoNotCountAsBusy) {
  ProjectConfig config = roster({agent("coder-1", AgentStage::Coder)});
  auto result =
      select_coder(story(2), kNoPreference, config, {run(story(1), "coder-1", RunStatus::Failed)});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, "coder-1");
}

TEST(SelectCoder, NoCoderConfigured) {
  ProjectConfig config =
      roster({agent("qa", AgentStage::Qa), agent("supervisor", AgentStage::Other)});
  auto result = select_coder(story(5), kNoPreference, config, {});
  ASSERT_FALSE(result.ok());
  const auto* error = std::get_if<NoCoderConfigured>(&result.error());
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->story, story(5));
}

// A leftover coder run (its agent since removed from the roster) must not hide the real problem.
TEST(SelectCoder, NoCoderConfiguredWinsOverCoderLimit) {
  ProjectConfig config = roster({agent("qa", AgentStage::Qa)}, /*max_coders=*/1);
  auto result = select_coder(story(5), kNoPreference, config, {run(story(1), "coder-old")});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(std::holds_alternative<NoCoderConfigured>(result.error())) << message(result.error());
}

// storkit bug 379: `start 368` after `assign 368 opus` starts opus.
TEST(SelectCoder, PreferredCoderChosenWhenFree) {
  ProjectConfig config = standard_roster();
  auto result = select_coder(story(368), std::string("coder-2"), config, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, "coder-2");
}

TEST(SelectCoder, PreferredCoderBusyIsAnErrorWithoutFallback) {
  ProjectConfig config = standard_roster();
  auto result =
      select_coder(story(368), std::string("coder-1"), config, {run(story(12), "coder-1")});
  ASSERT_FALSE(result.ok());
  const auto* error = std::get_if<PreferredCoderBusy>(&result.error());
  ASSERT_NE(error, nullptr) << message(result.error());
  EXPECT_EQ(error->agent, "coder-1");
  EXPECT_EQ(error->story, story(368));
  EXPECT_EQ(error->busy_on, story(12));
}

TEST(SelectCoder, PreferenceForNonCoderFallsBackToFreeCoder) {
  ProjectConfig config = standard_roster();
  auto result = select_coder(story(4), std::string("qa"), config, {run(story(1), "coder-1")});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, "coder-2");
}

TEST(SelectCoder, PreferenceForUnknownAgentFallsBackToFreeCoder) {
  ProjectConfig config = standard_roster();
  auto result = select_coder(story(4), std::string("opus"), config, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, "coder-1");
}

TEST(SelectCoder, PreferenceForNonCoderWithAllCodersBusyReportsAllBusy) {
  ProjectConfig config = standard_roster();
  Runs runs = {run(story(1), "coder-1"), run(story(2), "coder-2")};
  auto result = select_coder(story(4), std::string("mergemaster"), config, runs);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(std::holds_alternative<AllCodersBusy>(result.error()));
}

TEST(SelectCoder, RespectsMaxCoders) {
  ProjectConfig config =
      roster({agent("coder-1", AgentStage::Coder), agent("coder-2", AgentStage::Coder)},
             /*max_coders=*/1);
  auto result = select_coder(story(2), kNoPreference, config, {run(story(1), "coder-1")});
  ASSERT_FALSE(result.ok());
  const auto* error = std::get_if<CoderLimitReached>(&result.error());
  ASSERT_NE(error, nullptr) << message(result.error());
  EXPECT_EQ(error->max_coders, 1);
  EXPECT_EQ(error->active_coders, 1);
}

TEST(SelectCoder, MaxCodersAlsoHoldsBackAFreePreferredCoder) {
  ProjectConfig config =
      roster({agent("coder-1", AgentStage::Coder), agent("coder-2", AgentStage::Coder)},
             /*max_coders=*/1);
  auto result = select_coder(story(2), std::string("coder-2"), config, {run(story(1), "coder-1")});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(std::holds_alternative<CoderLimitReached>(result.error()));
}

TEST(SelectCoder, PreferredCoderBusyMessageNamesAgentAndBothItems) {
  std::string text = PreferredCoderBusy{story(9, "thing"), "coder-1", story(2, "other")}.message();
  EXPECT_NE(text.find("coder-1"), std::string::npos) << text;
  EXPECT_NE(text.find("9_story_thing"), std::string::npos) << text;
  EXPECT_NE(text.find("2_story_other"), std::string::npos) << text;
}

TEST(SelectCoder, ErrorMessagesNameTheItem) {
  const StoryId id = story(9, "thing");
  for (const CoderSelectionError& error :
       {CoderSelectionError{NoCoderConfigured{id}},
        CoderSelectionError{PreferredCoderBusy{id, "coder-1", story(2)}},
        CoderSelectionError{AllCodersBusy{id}}, CoderSelectionError{CoderLimitReached{id, 2, 2}}}) {
    EXPECT_NE(message(error).find("9_story_thing"), std::string::npos) << message(error);
  }
}

}  // namespace
}  // namespace stork::pipeline
