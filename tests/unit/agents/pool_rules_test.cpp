// The pool applies storkit's start rules to its own, real runs (seeds/pool_mod.rs and
// pool_start_mod.rs scenarios; docs/seed-scenarios.md maps each one here). Busy agents are real
// processes (`sleep`), so "busy" is what the pool itself observed.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pool_fixture.hpp"

namespace stork::testing {
namespace {

using agents::AgentStatus;
using agents::PoolError;
using ::testing::HasSubstr;

const std::string kBusy = "sleep 30";

class PoolRules : public PoolTest {};

TEST_F(PoolRules, StartReturnsPendingAtOnceAndRunsToCompletion) {
  open_pool({{"coder-1", "coder", "exit 0"}});
  add_item(Stage::Current, "1_story_a");
  auto started = start("1_story_a", "coder-1");
  ASSERT_TRUE(started.ok()) << started.error().message;
  EXPECT_EQ(started.value().status, AgentStatus::Pending);
  EXPECT_EQ(wait("1_story_a", "coder-1").status, AgentStatus::Completed);
}

TEST_F(PoolRules, AutoSelectsSecondCoderWhenFirstBusy) {
  open_pool({{"coder-1", "coder", kBusy}, {"coder-2", "coder", kBusy}});
  add_item(Stage::Current, "1_story_a");
  add_item(Stage::Current, "2_story_b");
  ASSERT_EQ(start("1_story_a").value().agent_name, "coder-1");
  auto second = start("2_story_b");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second.value().agent_name, "coder-2");
}

TEST_F(PoolRules, ReturnsBusyWhenAllCodersOccupied) {
  open_pool({{"coder-1", "coder", kBusy}});
  add_item(Stage::Current, "1_story_a");
  add_item(Stage::Current, "2_story_b");
  ASSERT_TRUE(start("1_story_a").ok());
  auto second = start("2_story_b");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, PoolError::Kind::Queued);
  EXPECT_EQ(second.error().cause, PoolError::Cause::AllBusy);
  EXPECT_EQ(second.error().story, "2_story_b");
  EXPECT_EQ(second.error().agent_stage, AgentStage::Coder);
  EXPECT_TRUE(second.error().queued);
}

TEST_F(PoolRules, MovesStoryToCurrentWhenCodersBusy) {
  open_pool({{"coder-1", "coder", kBusy}});
  add_item(Stage::Current, "1_story_a");
  add_item(Stage::Backlog, "2_story_b");
  ASSERT_TRUE(start("1_story_a").ok());
  auto second = start("2_story_b");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, PoolError::Kind::Queued);
  EXPECT_EQ(second.error().stage, Stage::Current);
  EXPECT_TRUE(second.error().queued);
  EXPECT_EQ(stage_of("2_story_b"), Stage::Current);
}

TEST_F(PoolRules, StoryAlreadyInCurrentStaysThere) {
  open_pool({{"coder-1", "coder", "exit 0"}});
  add_item(Stage::Current, "1_story_a");
  ASSERT_TRUE(start("1_story_a").ok());
  EXPECT_EQ(stage_of("1_story_a"), Stage::Current);
}

TEST_F(PoolRules, CoderOnBacklogItemMovesItToCurrent) {
  open_pool({{"coder-1", "coder", "exit 0"}});
  add_item(Stage::Backlog, "1_story_a");
  ASSERT_TRUE(start("1_story_a", "coder-1").ok());
  EXPECT_EQ(stage_of("1_story_a"), Stage::Current);
}

TEST_F(PoolRules, ExplicitNameIsKeptWhenThatAgentIsBusy) {
  open_pool({{"coder-1", "coder", kBusy}, {"coder-2", "coder", kBusy}});
  add_item(Stage::Current, "1_story_a");
  add_item(Stage::Current, "2_story_b");
  ASSERT_TRUE(start("1_story_a", "coder-1").ok());
  auto second = start("2_story_b", "coder-1");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, PoolError::Kind::Conflict);
  EXPECT_EQ(second.error().cause, PoolError::Cause::AgentBusyElsewhere);
  EXPECT_EQ(second.error().agent, "coder-1");
  EXPECT_EQ(second.error().story, "2_story_b");
  EXPECT_EQ(second.error().busy_on, "1_story_a");
  EXPECT_TRUE(second.error().queued);
  EXPECT_EQ(run(pool_->list_agents()).size(), 1u) << "coder-2 must not have been started instead";
}

TEST_F(PoolRules, RejectsSameAgentRunningOnAnotherStoryAndKeepsTheRunningEntry) {
  open_pool({{"qa", "qa", kBusy}});
  add_item(Stage::Qa, "1_story_x");
  add_item(Stage::Qa, "2_story_y");
  auto first = start("1_story_x", "qa");
  ASSERT_TRUE(first.ok());
  const auto first_run = first.value().run_id;
  auto second = start("2_story_y", "qa");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, PoolError::Kind::Conflict);
  EXPECT_EQ(second.error().cause, PoolError::Cause::AgentBusyElsewhere);
  EXPECT_EQ(second.error().holder, "qa");
  EXPECT_EQ(second.error().busy_on, "1_story_x");
  EXPECT_EQ(second.error().holder_run, first_run);
  ASSERT_TRUE(eventually([&] {
    auto agents = run(pool_->list_agents());
    return agents.size() == 1 && agents[0].story_id == "1_story_x" &&
           agents[0].status == AgentStatus::Running;
  }));
}

TEST_F(PoolRules, AllowsNewStoryWhenPreviousRunCompleted) {
  open_pool({{"coder-1", "coder", "exit 0"}});
  add_item(Stage::Current, "1_story_a");
  add_item(Stage::Current, "2_story_b");
  ASSERT_TRUE(start("1_story_a", "coder-1").ok());
  ASSERT_EQ(wait("1_story_a", "coder-1").status, AgentStatus::Completed);
  auto second = start("2_story_b", "coder-1");
  EXPECT_TRUE(second.ok()) << second.error().message;
}

TEST_F(PoolRules, FailedStartKeepsAFailedEntryWithAnErrorEvent) {
  // The worktree cannot be created: the configured base branch does not exist.
  open_pool({{"coder-1", "coder", "exit 0"}}, "base_branch = \"no-such-branch\"");
  add_item(Stage::Backlog, "50_story_test");
  auto started = start("50_story_test", "coder-1");
  ASSERT_TRUE(started.ok()) << started.error().message;
  EXPECT_EQ(started.value().status, AgentStatus::Pending);
  auto final_info = wait("50_story_test", "coder-1", std::chrono::seconds(5));
  EXPECT_EQ(final_info.status, AgentStatus::Failed);
  EXPECT_THAT(final_info.exit_reason, HasSubstr("no-such-branch"));
  auto agents = run(pool_->list_agents());
  ASSERT_EQ(agents.size(), 1u);
  EXPECT_EQ(agents[0].status, AgentStatus::Failed);
  auto events = run(pool_->drain_events("50_story_test", "coder-1"));
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(std::any_of(events.value().begin(), events.value().end(),
                          [](const auto& e) { return e.type == "error"; }));
}

TEST_F(PoolRules, PendingRunBlocksSameAgentOnAnotherStory) {
  // A slow component setup keeps the first run Pending while the second start arrives.
  open_pool({{"coder-1", "coder", "exit 0"}},
            "[[component]]\nname = \"slow\"\npath = \".\"\nsetup = [\"sleep 2\"]\n");
  add_item(Stage::Current, "86_story_foo");
  add_item(Stage::Current, "130_story_bar");
  auto first = start("86_story_foo", "coder-1");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first.value().status, AgentStatus::Pending);
  auto second = start("130_story_bar", "coder-1");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().cause, PoolError::Cause::AgentBusyElsewhere);
  EXPECT_EQ(second.error().busy_on, "86_story_foo");
  EXPECT_EQ(second.error().holder_status, AgentStatus::Pending);
  EXPECT_EQ(second.error().holder_run, first.value().run_id);
}

TEST_F(PoolRules, ConcurrentStartsOfOneAgentOnTwoStoriesRejectExactlyOne) {
  open_pool({{"coder-1", "coder", kBusy}}, "", /*io_threads=*/2);
  add_item(Stage::Backlog, "86_story_foo");
  add_item(Stage::Backlog, "130_story_bar");
  auto request = [](std::string story) {
    agents::StartRequest r;
    r.story = std::move(story);
    r.agent = "coder-1";
    return r;
  };
  // Both are in flight at once on a two-thread io_context.
  auto a = spawn(pool_->start_agent(request("86_story_foo")));
  auto b = spawn(pool_->start_agent(request("130_story_bar")));
  auto ra = *a.get();
  auto rb = *b.get();
  int rejections = 0;
  for (const auto* r : {&ra, &rb}) {
    if (!r->ok() && r->error().cause == PoolError::Cause::AgentBusyElsewhere) ++rejections;
  }
  EXPECT_EQ(rejections, 1);
  EXPECT_EQ(ra.ok() + rb.ok(), 1);
}

TEST_F(PoolRules, RejectsSecondCoderOnSameStory) {
  open_pool({{"coder-1", "coder", kBusy}, {"coder-2", "coder", kBusy}});
  add_item(Stage::Current, "10_story_test");
  ASSERT_TRUE(start("10_story_test", "coder-1").ok());
  auto second = start("10_story_test", "coder-2");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, PoolError::Kind::Conflict);
  EXPECT_EQ(second.error().cause, PoolError::Cause::SameStage);
  EXPECT_EQ(second.error().agent, "coder-2");
  EXPECT_EQ(second.error().holder, "coder-1");
  EXPECT_EQ(second.error().story, "10_story_test");
  EXPECT_EQ(second.error().agent_stage, AgentStage::Coder);
}

TEST_F(PoolRules, RejectsSecondQaOnSameStory) {
  open_pool({{"qa-1", "qa", kBusy}, {"qa-2", "qa", kBusy}});
  add_item(Stage::Qa, "11_story_test");
  ASSERT_TRUE(start("11_story_test", "qa-1").ok());
  auto second = start("11_story_test", "qa-2");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().cause, PoolError::Cause::SameStage);
  EXPECT_EQ(second.error().holder, "qa-1");
  EXPECT_EQ(second.error().agent_stage, AgentStage::Qa);
}

TEST_F(PoolRules, ConcurrentTwoCodersOnOneStoryRejectExactlyOneForTheStage) {
  open_pool({{"coder-1", "coder", kBusy}, {"coder-2", "coder", kBusy}}, "", 2);
  add_item(Stage::Current, "42_story_foo");
  auto request = [](std::string agent) {
    agents::StartRequest r;
    r.story = "42_story_foo";
    r.agent = std::move(agent);
    return r;
  };
  auto a = spawn(pool_->start_agent(request("coder-1")));
  auto b = spawn(pool_->start_agent(request("coder-2")));
  auto ra = *a.get();
  auto rb = *b.get();
  int stage_rejections = 0;
  for (const auto* r : {&ra, &rb}) {
    if (!r->ok() && r->error().cause == PoolError::Cause::SameStage) ++stage_rejections;
  }
  EXPECT_EQ(stage_rejections, 1);
}

TEST_F(PoolRules, TwoCodersOnDifferentStoriesBothStart) {
  open_pool({{"coder-1", "coder", kBusy}, {"coder-2", "coder", kBusy}});
  add_item(Stage::Current, "99_story_baz");
  add_item(Stage::Current, "100_story_qux");
  EXPECT_TRUE(start("99_story_baz", "coder-1").ok());
  EXPECT_TRUE(start("100_story_qux", "coder-2").ok());
}

TEST_F(PoolRules, RejectsMergemasterOnCodingStageStory) {
  open_pool({{"mergemaster", "mergemaster"}});
  add_item(Stage::Current, "310_story_foo");
  auto started = start("310_story_foo", "mergemaster");
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().kind, PoolError::Kind::StageMismatch);
  EXPECT_EQ(started.error().agent, "mergemaster");
  EXPECT_EQ(started.error().agent_stage, AgentStage::Mergemaster);
  EXPECT_EQ(started.error().story, "310_story_foo");
  EXPECT_EQ(started.error().stage, Stage::Current);
}

TEST_F(PoolRules, RejectsCoderOnQaStageStory) {
  open_pool({{"coder-1", "coder"}});
  add_item(Stage::Qa, "42_story_bar");
  auto started = start("42_story_bar", "coder-1");
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().kind, PoolError::Kind::StageMismatch);
  EXPECT_EQ(started.error().stage, Stage::Qa);
  EXPECT_EQ(stage_of("42_story_bar"), Stage::Qa);
}

TEST_F(PoolRules, RejectsQaOnMergeStageStory) {
  open_pool({{"qa", "qa"}});
  add_item(Stage::Merge, "55_story_baz");
  auto started = start("55_story_baz", "qa");
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().kind, PoolError::Kind::StageMismatch);
}

TEST_F(PoolRules, AllowsSupervisorOnAnyStage) {
  open_pool({{"supervisor", "other"}});
  add_item(Stage::Merge, "77_story_sup");
  EXPECT_TRUE(start("77_story_sup", "supervisor").ok());
}

TEST_F(PoolRules, AllowsEachStageAgentOnItsOwnStage) {
  open_pool({{"coder-1", "coder"}, {"qa", "qa"}, {"mergemaster", "mergemaster"}});
  add_item(Stage::Current, "1_story_a");
  add_item(Stage::Qa, "2_story_b");
  add_item(Stage::Merge, "3_story_c");
  EXPECT_TRUE(start("1_story_a", "coder-1").ok());
  EXPECT_TRUE(start("2_story_b", "qa").ok());
  EXPECT_TRUE(start("3_story_c", "mergemaster").ok());
}

TEST_F(PoolRules, UnknownStoryAndUnknownAgentAreClearErrors) {
  open_pool({{"coder-1", "coder"}});
  add_item(Stage::Current, "1_story_a");
  auto no_story = start("999_story_nope", "coder-1");
  ASSERT_FALSE(no_story.ok());
  EXPECT_EQ(no_story.error().kind, PoolError::Kind::UnknownStory);
  EXPECT_EQ(no_story.error().story, "999_story_nope");
  auto traversal = start("../1_story_a", "coder-1");
  ASSERT_FALSE(traversal.ok());
  EXPECT_EQ(traversal.error().kind, PoolError::Kind::UnknownStory);
  auto no_agent = start("1_story_a", "coder-9");
  ASSERT_FALSE(no_agent.ok());
  EXPECT_EQ(no_agent.error().kind, PoolError::Kind::UnknownAgent);
  EXPECT_EQ(no_agent.error().agent, "coder-9");
}

TEST_F(PoolRules, AvailableAgentsForStageListsIdleAgents) {
  open_pool({{"coder-1", "coder", kBusy}, {"coder-2", "coder", kBusy}, {"qa", "qa"}});
  add_item(Stage::Current, "1_story_a");
  ASSERT_TRUE(start("1_story_a", "coder-1").ok());
  EXPECT_EQ(run(pool_->available_agents_for_stage(AgentStage::Coder)),
            std::vector<std::string>{"coder-2"});
  EXPECT_EQ(run(pool_->available_agents_for_stage(AgentStage::Qa)), std::vector<std::string>{"qa"});
}

TEST_F(PoolRules, AvailableAgentsForStageIsEmptyWhenAllBusy) {
  open_pool({{"coder-1", "coder", kBusy}});
  add_item(Stage::Current, "1_story_a");
  ASSERT_TRUE(start("1_story_a", "coder-1").ok());
  EXPECT_TRUE(run(pool_->available_agents_for_stage(AgentStage::Coder)).empty());
}

TEST_F(PoolRules, AvailableAgentsForStageIgnoresCompletedRuns) {
  open_pool({{"coder-1", "coder", "exit 0"}});
  add_item(Stage::Current, "1_story_a");
  ASSERT_TRUE(start("1_story_a", "coder-1").ok());
  wait("1_story_a", "coder-1");
  EXPECT_EQ(run(pool_->available_agents_for_stage(AgentStage::Coder)),
            std::vector<std::string>{"coder-1"});
}

TEST_F(PoolRules, RemoveAgentsForStoryRemovesAllItsEntries) {
  open_pool(
      {{"coder-1", "coder", "exit 0"}, {"qa", "other", "exit 1"}, {"coder-2", "coder", kBusy}});
  add_item(Stage::Current, "1_story_a");
  add_item(Stage::Current, "2_story_b");
  ASSERT_TRUE(start("1_story_a", "coder-1").ok());
  ASSERT_TRUE(start("1_story_a", "qa").ok());
  ASSERT_TRUE(start("2_story_b", "coder-2").ok());
  wait("1_story_a", "coder-1");
  wait("1_story_a", "qa");
  EXPECT_EQ(run(pool_->remove_agents_for_story("1_story_a")), 2u);
  auto agents = run(pool_->list_agents());
  ASSERT_EQ(agents.size(), 1u);
  EXPECT_EQ(agents[0].story_id, "2_story_b");
}

TEST_F(PoolRules, RemoveAgentsForStoryReturnsZeroWhenNoMatch) {
  open_pool({{"coder-1", "coder", kBusy}});
  add_item(Stage::Current, "1_story_a");
  ASSERT_TRUE(start("1_story_a", "coder-1").ok());
  EXPECT_EQ(run(pool_->remove_agents_for_story("9_story_nonexistent")), 0u);
  EXPECT_EQ(run(pool_->list_agents()).size(), 1u);
}

}  // namespace
}  // namespace stork::testing
