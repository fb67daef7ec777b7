// An item that leaves its agent's stage stops the agent: moved back to the backlog, blocked,
// or its file deleted, while a `command` coder that only waits runs on it. The run ends
// Stopped (not Failed) within 2 s with the reason in its exit_reason, its process group is
// gone, the worktree stays, and the pipeline says so (`agent_stopped`).
#include <cerrno>
#include <csignal>

#include <gtest/gtest.h>

#include "pipeline_fixture.hpp"

namespace stork::testing {
namespace {

class StageExit : public PipelineTest {
 protected:
  // Starts the waiting coder on a current item and returns its process id once it runs.
  pid_t start_waiting_coder(const std::string& id) {
    add_item(Stage::Current, id);
    open_pipeline({TestAgent{"coder-1", "coder", "sleep 30"}});
    std::optional<int> pid;
    eventually([&] {
      for (const auto& run : run(pool_->list_agents())) {
        if (run.story_id == id && run.pid) pid = run.pid;
      }
      return pid.has_value();
    });
    return pid.value_or(-1);
  }

  // The run as it is once it ended, waiting at most 2 s from now.
  agents::AgentInfo ended_within_two_seconds(const std::string& id) {
    auto ended = run(pool_->wait_for_agent(id, "coder-1", std::chrono::seconds(2)));
    EXPECT_TRUE(ended.ok()) << (ended.ok() ? "" : ended.error().message);
    return ended.ok() ? ended.value() : agents::AgentInfo{};
  }

  static bool process_group_gone(pid_t pid) { return ::kill(-pid, 0) == -1 && errno == ESRCH; }
};

TEST_F(StageExit, ItemMovedBackToTheBacklogStopsItsAgent) {
  const pid_t pid = start_waiting_coder("1_story_shelved");
  ASSERT_GT(pid, 0);
  auto moved = run(pipeline_->move("1_story_shelved", Stage::Backlog));
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  const auto ended = ended_within_two_seconds("1_story_shelved");
  EXPECT_EQ(ended.status, agents::AgentStatus::Stopped);
  EXPECT_EQ(ended.exit_reason, "stopped: its item was moved back to the backlog");
  EXPECT_TRUE(process_group_gone(pid));
  EXPECT_TRUE(std::filesystem::exists(root() / ".storkit/worktrees/1_story_shelved"));
  EXPECT_TRUE(eventually([&] { return has_event("1_story_shelved", "agent_stopped"); }));
}

TEST_F(StageExit, BlockedItemStopsItsAgent) {
  const pid_t pid = start_waiting_coder("2_story_blocked");
  ASSERT_GT(pid, 0);
  auto blocked = run(pipeline_->block("2_story_blocked", "waiting for the API key"));
  ASSERT_TRUE(blocked.ok()) << blocked.error().message;
  const auto ended = ended_within_two_seconds("2_story_blocked");
  EXPECT_EQ(ended.status, agents::AgentStatus::Stopped);
  EXPECT_EQ(ended.exit_reason, "stopped: its item was blocked");
  EXPECT_TRUE(process_group_gone(pid));
}

TEST_F(StageExit, DeletedItemFileStopsItsAgent) {
  const pid_t pid = start_waiting_coder("3_story_deleted");
  ASSERT_GT(pid, 0);
  std::filesystem::remove(root() / ".storkit/work/2_current/3_story_deleted.md");
  // The watcher notices (debounced) and the reconcile stops the run.
  auto ended = run(pool_->wait_for_agent("3_story_deleted", "coder-1", std::chrono::seconds(5)));
  ASSERT_TRUE(ended.ok()) << ended.error().message;
  EXPECT_EQ(ended.value().status, agents::AgentStatus::Stopped);
  EXPECT_EQ(ended.value().exit_reason, "stopped: its item file was deleted");
  EXPECT_TRUE(process_group_gone(pid));
}

TEST_F(StageExit, ItemThatStaysInItsStageKeepsItsAgent) {
  const pid_t pid = start_waiting_coder("4_story_stays");
  ASSERT_GT(pid, 0);
  run(pipeline_->reconcile());
  ASSERT_TRUE(wait_until_idle());
  EXPECT_EQ(active_runs("4_story_stays"), 1);
  EXPECT_EQ(::kill(pid, 0), 0);
}

}  // namespace
}  // namespace stork::testing
