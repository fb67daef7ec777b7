// The stage-exit rule alone: which item changes stop which agents, and which never do.
#include "pipeline/stage_exit.hpp"

#include <gtest/gtest.h>

namespace stork::pipeline {
namespace {

ItemSnapshot item(Stage stage, bool blocked = false) {
  ItemSnapshot snapshot;
  snapshot.id = parse_story_id("1_story_x").value();
  snapshot.stage = stage;
  snapshot.blocked = blocked;
  return snapshot;
}

TEST(StageExit, BacklogArchivedBlockedAndDeletedStopStageAgents) {
  for (auto agent : {AgentStage::Coder, AgentStage::Qa, AgentStage::Mergemaster}) {
    auto backlog = item(Stage::Backlog);
    auto archived = item(Stage::Archived);
    auto blocked = item(Stage::Current, true);
    EXPECT_EQ(stage_exit_reason(agent, &backlog, false), "its item was moved back to the backlog");
    EXPECT_EQ(stage_exit_reason(agent, &archived, false), "its item was archived");
    EXPECT_EQ(stage_exit_reason(agent, &blocked, false), "its item was blocked");
    EXPECT_EQ(stage_exit_reason(agent, nullptr, false), "its item file was deleted");
  }
}

TEST(StageExit, ItemsMovingOnUnreadableFilesAndOtherAgentsStopNothing) {
  for (auto stage : {Stage::Current, Stage::Qa, Stage::Merge, Stage::Done}) {
    auto moved_on = item(stage);
    EXPECT_FALSE(stage_exit_reason(AgentStage::Coder, &moved_on, false));
  }
  EXPECT_FALSE(stage_exit_reason(AgentStage::Coder, nullptr, true));  // being edited
  auto backlog = item(Stage::Backlog);
  EXPECT_FALSE(stage_exit_reason(AgentStage::Other, &backlog, false));
  EXPECT_FALSE(stage_exit_reason(AgentStage::Other, nullptr, false));
}

}  // namespace
}  // namespace stork::pipeline
