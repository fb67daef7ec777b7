// The pool's worktree operations for people and tools: checked against the runs and done on the
// pool's git lane in one step, with typed refusals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pool_fixture.hpp"

namespace stork::testing {
namespace {

using agents::AgentStatus;
using agents::PoolError;

class PoolWorktrees : public PoolTest {};

TEST_F(PoolWorktrees, CreateWorktreeFor_CreatesThenReusesTheItemsWorktree) {
  open_pool({{"coder-1", "coder"}});
  add_item(Stage::Current, "1_story_wt");
  auto created = run(pool_->create_worktree_for("1_story_wt"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created.value().info.path, root() / ".storkit/worktrees/1_story_wt");
  EXPECT_EQ(created.value().info.branch, "feature/story-1_story_wt");
  EXPECT_FALSE(created.value().reused);
  EXPECT_TRUE(std::filesystem::exists(created.value().info.path / ".mcp.json"));
  auto again = run(pool_->create_worktree_for("1"));  // by number
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again.value().reused);
}

TEST_F(PoolWorktrees, CreateWorktreeFor_IsRefusedWhileARunIsPreparingIt) {
  // A slow component setup keeps the run Pending while its worktree is made.
  open_pool({{"coder-1", "coder"}},
            "[[component]]\nname = \"slow\"\npath = \".\"\nsetup = [\"sleep 2\"]\n");
  add_item(Stage::Current, "2_story_busy");
  auto started = start("2_story_busy", "coder-1");
  ASSERT_TRUE(started.ok());
  ASSERT_EQ(started.value().status, AgentStatus::Pending);
  auto refused = run(pool_->create_worktree_for("2_story_busy"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, PoolError::Kind::Conflict);
  EXPECT_EQ(refused.error().cause, PoolError::Cause::WorktreeInUse);
  EXPECT_EQ(refused.error().story, "2_story_busy");
  EXPECT_EQ(refused.error().holder, "coder-1");
  EXPECT_EQ(refused.error().holder_run, started.value().run_id);
}

TEST_F(PoolWorktrees, CreateWorktreeFor_UnknownItemIsTyped) {
  open_pool({{"coder-1", "coder"}});
  auto refused = run(pool_->create_worktree_for("404_story_none"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, PoolError::Kind::UnknownStory);
  EXPECT_EQ(refused.error().story, "404_story_none");
}

TEST_F(PoolWorktrees, CreateWorktreeFor_GitFailureCarriesGitsFacts) {
  open_pool({{"coder-1", "coder"}}, "base_branch = \"no-such-branch\"");
  add_item(Stage::Current, "3_story_git");
  auto failed = run(pool_->create_worktree_for("3_story_git"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind, PoolError::Kind::State);
  EXPECT_EQ(failed.error().cause, PoolError::Cause::WorktreeFailed);
  ASSERT_TRUE(failed.error().worktree.has_value());
  EXPECT_FALSE(failed.error().worktree->step.empty());
}

TEST_F(PoolWorktrees, RemoveWorktreeFor_IsRefusedWhileARunIsActiveAndWorksAfterIt) {
  open_pool({{"coder-1", "coder", "sleep 30"}});
  add_item(Stage::Current, "4_story_rm");
  auto started = start("4_story_rm", "coder-1");
  ASSERT_TRUE(started.ok());
  auto refused = run(pool_->remove_worktree_for("4_story_rm"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, PoolError::Kind::Conflict);
  EXPECT_EQ(refused.error().cause, PoolError::Cause::RunActive);
  EXPECT_EQ(refused.error().holder, "coder-1");
  EXPECT_TRUE(refused.error().holder_status.has_value());
  auto stopped = run(pool_->stop_agent("4_story_rm", "coder-1"));
  ASSERT_TRUE(stopped.ok());
  ASSERT_EQ(stopped.value().status, AgentStatus::Stopped);
  ASSERT_TRUE(std::filesystem::exists(root() / ".storkit/worktrees/4_story_rm"));
  auto removed = run(pool_->remove_worktree_for("4_story_rm"));
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_FALSE(std::filesystem::exists(root() / ".storkit/worktrees/4_story_rm"));
}

TEST_F(PoolWorktrees, RemoveWorktreeFor_AcceptsTheFullIdOfAnItemThatIsGone) {
  open_pool({{"coder-1", "coder"}});
  add_item(Stage::Current, "5_story_gone");
  ASSERT_TRUE(run(pool_->create_worktree_for("5_story_gone")).ok());
  std::filesystem::remove(root() / ".storkit/work/2_current/5_story_gone.md");
  auto removed = run(pool_->remove_worktree_for("5_story_gone"));
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_FALSE(std::filesystem::exists(root() / ".storkit/worktrees/5_story_gone"));
}

}  // namespace
}  // namespace stork::testing
