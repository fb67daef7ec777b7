// Auto-assign, dependency promotion, the WIP limit, the watcher and the archive sweep.
#include <future>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline_fixture.hpp"
#include "support/temp_dir.hpp"
#include "work/item_index.hpp"

namespace stork::testing {
namespace {

using ::testing::Contains;

class Flow : public PipelineTest {};

TEST_F(Flow, BacklogItemStartsWhenItsDependenciesAreDone) {
  add_item(Stage::Done, "1_story_base");
  add_item(Stage::Backlog, "2_story_ok", "depends_on: [1]\n");
  add_item(Stage::Backlog, "3_story_ok", "depends_on: [4]\n");
  add_item(Stage::Backlog, "4_story_waiting");
  open_pipeline();
  ASSERT_TRUE(wait_for_stage("2_story_ok", Stage::Done));
  EXPECT_EQ(stage_of("3_story_ok"), Stage::Backlog);  // 4 is not done
  EXPECT_EQ(stage_of("4_story_waiting"), Stage::Backlog);
  EXPECT_EQ(attempts("3_story_ok"), 0);
}

TEST_F(Flow, WipLimitHoldsWithSixItemsAndThreeCoders) {
  for (int i = 1; i <= 6; ++i)
    add_item(Stage::Current, std::to_string(i) + "_story_slow" + std::to_string(i));
  open_pipeline({coder("coder-1"), coder("coder-2"), coder("coder-3"), coder("coder-4")},
                "max_coders = 3");
  int most_active = 0;
  auto all_done = [&] {
    int active = 0;
    for (const auto& info : run(pool_->list_agents())) {
      if (agents::is_active(info.status)) ++active;
    }
    most_active = std::max(most_active, active);
    for (int i = 1; i <= 6; ++i) {
      if (stage_of(std::to_string(i) + "_story_slow" + std::to_string(i)) != Stage::Done)
        return false;
    }
    return true;
  };
  ASSERT_TRUE(eventually(all_done, std::chrono::seconds(60)));
  EXPECT_LE(most_active, 3);
  EXPECT_GE(most_active, 2);  // the limit is a limit, not serialisation
}

TEST_F(Flow, ItemMovedByHandIsPickedUpByTheWatcher) {
  open_pipeline();
  add_item(Stage::Backlog, "1_story_ok");
  // Backlog items wait to be started: a reconcile, finished, started nobody.
  run(pipeline_->reconcile());
  ASSERT_TRUE(wait_until_idle());
  EXPECT_EQ(active_runs("1_story_ok"), 0);
  EXPECT_EQ(attempts("1_story_ok"), 0);
  std::filesystem::rename(root() / ".storkit/work/1_backlog/1_story_ok.md",
                          root() / ".storkit/work/2_current/1_story_ok.md");
  ASSERT_TRUE(eventually([&] { return attempts("1_story_ok") == 1; }, std::chrono::seconds(1)));
  ASSERT_TRUE(wait_for_stage("1_story_ok", Stage::Done));
}

TEST_F(Flow, AnExceptionInAnOperationReachesTheCallerAndThePipelineGoesOn) {
  open_pipeline();
  add_item(Stage::Backlog, "1_story_a");
  std::function<Result<void, std::string>(WorkItem&)> explode =
      [](WorkItem&) -> Result<void, std::string> { throw std::runtime_error("edit exploded"); };
  // Before, the exception ended the strand's coroutine and the caller waited forever.
  EXPECT_THROW(run(pipeline_->edit_item("1_story_a", explode)), std::runtime_error);
  EXPECT_TRUE(run(pipeline_->block("1_story_a", "still serving")).ok());
  // The strand still serves, and what the block set going (a reconcile of the edited file)
  // finishes: waited for, since at the instant the block answers it may still be under way.
  EXPECT_TRUE(wait_until_idle());
}

TEST_F(Flow, StoppedCoderIsNotRestartedByAutoAssign) {
  add_item(Stage::Current, "1_story_x");
  open_pipeline({TestAgent{"coder-1", "coder", "sleep 30"}});
  ASSERT_TRUE(eventually([&] { return !run(pool_->list_agents()).empty(); }));
  auto stopped = run(pool_->stop_agent("1_story_x", "coder-1"));
  ASSERT_TRUE(stopped.ok()) << stopped.error().message;
  run(pipeline_->reconcile());
  auto agents = run(pool_->list_agents());
  ASSERT_EQ(agents.size(), 1u);
  EXPECT_EQ(agents[0].status, agents::AgentStatus::Stopped);
}

// Issue 15 item 7: starting a backlog item moved its file out of git's sight and left
// " D .storkit/work/1_backlog/1_story_x.md" for a person's next `git commit -am` to sweep up.
// The start now answers only after the move is committed: no waiting, no polling here.
TEST_F(Flow, StartingABacklogItemCommitsItsMoveBeforeTheStartAnswers) {
  add_item(Stage::Backlog, "1_story_x");
  open_pipeline({TestAgent{"coder-1", "coder", "sleep 30"}});  // commits the backlog file
  ASSERT_THAT(git(root(), {"ls-files", ".storkit/work"}),
              ::testing::HasSubstr("1_backlog/1_story_x.md"));
  agents::StartRequest start;
  start.story = "1_story_x";
  auto started = run(pool_->start_agent(start));
  ASSERT_TRUE(started.ok()) << started.error().message;
  EXPECT_EQ(stage_of("1_story_x"), Stage::Current);
  EXPECT_EQ(git(root(), {"status", "--porcelain", "--", ".storkit/work"}), "");
  EXPECT_EQ(git(root(), {"log", "-1", "--format=%s", "--name-status", "--grep",
                         "storkit: start 1_story_x"}),
            "storkit: start 1_story_x\n\nD\t.storkit/work/1_backlog/1_story_x.md\n");
  EXPECT_EQ(git(root(), {"ls-files", ".storkit/work"}), "");
}

// Every manual move that changes what git should hold is committed in the move's own path:
// out of the backlog (the deletion), between tracked stages (both sides in one commit, git mv
// semantics), back into the backlog (the addition).
TEST_F(Flow, ManualMovesAreCommittedWithBothSides) {
  add_item(Stage::Backlog, "1_story_x");
  add_item(Stage::Done, "2_story_y");
  add_item(Stage::Current, "3_story_z");
  open_pipeline({TestAgent{"coder-1", "coder", "sleep 30"}});
  const auto commit_of = [&](const std::string& subject) {
    return git(root(),
               {"log", "-1", "--format=%s", "--name-status", "--no-renames", "--grep", subject});
  };
  auto started = run(pipeline_->move("1_story_x", Stage::Current));
  ASSERT_TRUE(started.ok()) << started.error().message;
  EXPECT_EQ(commit_of("storkit: start 1_story_x"),
            "storkit: start 1_story_x\n\nD\t.storkit/work/1_backlog/1_story_x.md\n");
  auto archived = run(pipeline_->move("2_story_y", Stage::Archived));
  ASSERT_TRUE(archived.ok()) << archived.error().message;
  EXPECT_EQ(commit_of("storkit: archive 2_story_y"),
            "storkit: archive 2_story_y\n\nD\t.storkit/work/5_done/2_story_y.md\n"
            "A\t.storkit/work/6_archived/2_story_y.md\n");
  auto shelved = run(pipeline_->move("3_story_z", Stage::Backlog));
  ASSERT_TRUE(shelved.ok()) << shelved.error().message;
  EXPECT_EQ(commit_of("storkit: backlog 3_story_z"),
            "storkit: backlog 3_story_z\n\nA\t.storkit/work/1_backlog/3_story_z.md\n");
  EXPECT_EQ(git(root(), {"status", "--porcelain", "--", ".storkit/work"}), "");
}

TEST_F(Flow, DoneItemsAreArchivedAfterTheConfiguredAgeAndTheirLeftoversPruned) {
  add_item(Stage::Current, "1_story_ok");
  open_pipeline({}, "archive_after_hours = 0.0001");  // 0.36 s
  ASSERT_TRUE(wait_for_stage("1_story_ok", Stage::Archived, std::chrono::seconds(30)));
  EXPECT_TRUE(eventually([&] {
    return git(root(), {"log", "-1", "--format=%s"}) == "storkit: archive 1_story_ok\n";
  })) << git(root(), {"log", "-3", "--format=%s"});
  EXPECT_TRUE(eventually(
      [&] { return !std::filesystem::exists(root() / ".storkit/worktrees/1_story_ok"); }));
}

}  // namespace
}  // namespace stork::testing

namespace stork::testing {
namespace {

TEST_F(Flow, ItemScansRunOnTheSharedWorkersWhileTheStrandStillAnswers) {
  auto& workers = use_shared_workers(1);
  open_pipeline();
  ASSERT_TRUE(wait_until_idle());
  // The only worker waits: a reconcile's item scan cannot run, and the strand is not held by
  // it (idle() still answers, and says a reconcile is under way).
  std::promise<void> release;
  auto released = release.get_future().share();
  boost::asio::post(workers, [released] { released.wait(); });
  auto reconciled = boost::asio::co_spawn(io_, pipeline_->reconcile(), boost::asio::use_future);
  ASSERT_TRUE(eventually([&] { return !run(pipeline_->idle()); }));
  EXPECT_EQ(reconciled.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  release.set_value();
  reconciled.get();
  EXPECT_TRUE(wait_until_idle());
}

TEST_F(Flow, WorkWithTheAppsSharedWorkersGoesToDone) {
  use_shared_workers(2);
  add_item(Stage::Current, "1_story_ok");
  open_pipeline();
  ASSERT_TRUE(wait_for_stage("1_story_ok", Stage::Done)) << front_matter("1_story_ok");
  EXPECT_EQ(base_file("1_story_ok.txt"), "work of 1_story_ok\n");
}

TEST_F(Flow, OperationsAfterStopStillAnswer) {
  open_pipeline();
  run(pipeline_->stop(std::chrono::seconds(1)));
  // The pipeline's own workers are gone: its git work runs on the strand, nobody waits forever.
  NewItem item;
  item.name = "late idea";
  auto created = run(pipeline_->create_item(item));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_THAT(git(root(), {"log", "-1", "--format=%s"}),
              ::testing::HasSubstr("storkit: create " + created.value().id.str()));
  EXPECT_TRUE(run(pipeline_->idle()));
}

TEST_F(Flow, NewItemWhoseDependenciesAreDoneIsCommittedThenStarted) {
  add_item(Stage::Done, "1_story_base");
  open_pipeline();
  NewItem item;
  item.name = "ok follow up";
  item.depends_on = {"1"};
  auto created = run(pipeline_->create_item(item));
  ASSERT_TRUE(created.ok()) << created.error().message;
  const auto id = created.value().id.str();
  EXPECT_THAT(git(root(), {"log", "--format=%s"}), ::testing::HasSubstr("storkit: create " + id));
  ASSERT_TRUE(wait_for_stage(id, Stage::Done)) << front_matter(id);
}

}  // namespace
}  // namespace stork::testing

namespace stork::testing {
namespace {

// The reconcile after a write reads the written file, not the work directory: the index's
// count of full scans does not move, and what changed is still acted on.
TEST_F(Flow, AWriteOrAHandEditIsReconciledFromItsOwnFileWithoutAFullScan) {
  add_item(Stage::Backlog, "1_story_waiting");
  add_item(Stage::Current, "2_story_ok", "blocked: true\n");
  add_item(Stage::Current, "3_story_ok", "blocked: true\n");
  sweep_interval_ = std::chrono::hours(1);  // the archive sweep's own full scans, out of the way
  open_pipeline();
  ASSERT_TRUE(wait_until_idle());
  auto index = ItemIndex::find(root());
  ASSERT_NE(index, nullptr);
  const auto scans = index->scans();
  ASSERT_GT(scans, 0U);  // the first reconcile read everything

  auto blocked = run(pipeline_->block("1_story_waiting", "waiting for a decision"));
  ASSERT_TRUE(blocked.ok()) << blocked.error().message;
  auto unblocked = run(pipeline_->unblock("2_story_ok"));
  ASSERT_TRUE(unblocked.ok()) << unblocked.error().message;
  ASSERT_TRUE(eventually([&] { return attempts("2_story_ok") == 1; }));
  EXPECT_EQ(index->scans(), scans);

  // A person unblocks item 3 in an editor: the watcher names the file, the reconcile reads it.
  const auto path = root() / ".storkit/work/2_current/3_story_ok.md";
  auto text = front_matter("3_story_ok");
  text.replace(text.find("blocked: true\n"), 14, "");
  write_text(path, text);
  ASSERT_TRUE(eventually([&] { return attempts("3_story_ok") == 1; }));
  EXPECT_EQ(index->scans(), scans);
  ASSERT_TRUE(wait_for_stage("2_story_ok", Stage::Done));
  ASSERT_TRUE(wait_for_stage("3_story_ok", Stage::Done));
}

}  // namespace
}  // namespace stork::testing
