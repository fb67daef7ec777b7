#include "state/run_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "state/schema.hpp"
#include "store_fixture.hpp"

namespace stork::state {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::int64_t> ids(const std::vector<RunRecord>& runs) {
  std::vector<std::int64_t> result;
  for (const auto& run : runs)
    result.push_back(run.id);
  return result;
}

TEST(RunState, NamesRoundTrip) {
  for (auto state : {RunState::Pending, RunState::Running, RunState::Completed, RunState::Failed,
                     RunState::Stopped, RunState::Interrupted, RunState::Blocked})
    EXPECT_EQ(parse_run_state(to_string(state)), state) << to_string(state);
  EXPECT_EQ(parse_run_state("Running"), std::nullopt);
  EXPECT_EQ(parse_run_state(""), std::nullopt);
}

TEST(StateStore, OpenCreatesTheDatabaseInStorkitWithWal) {
  testing::TempDir project;
  auto store = open_store(project.path());
  ASSERT_TRUE(store);
  EXPECT_EQ(store->database_path(), project / ".storkit/state.db");
  EXPECT_TRUE(std::filesystem::exists(project / ".storkit/state.db"));
  // WAL is a property of the file: a second connection sees it.
  auto db = Database::open(project / ".storkit/state.db");
  ASSERT_TRUE(db.ok());
  auto mode = db->prepare("PRAGMA journal_mode");
  ASSERT_EQ(*mode->step(), Step::Row);
  EXPECT_EQ(mode->column_text(0), "wal");
  auto version = db->prepare("PRAGMA user_version");
  ASSERT_EQ(*version->step(), Step::Row);
  EXPECT_EQ(version->column_int64(0), latest_schema_version());
}

TEST(StateStore, DataSurvivesCloseAndReopen) {
  testing::TempDir project;
  std::int64_t id = 0;
  {
    auto store = open_store(project.path());
    id = *store->create_run(new_run(), 1000);
    ASSERT_TRUE(store->set_run_state(id, RunState::Completed, 2000, "exit code 0").ok());
    std::vector<EventRecord> events{{id, 1, 1500, "output", R"({"line":"hi"})"}};
    ASSERT_TRUE(store->append_events(events).ok());
    ASSERT_TRUE(store->remember_session("1_story_a", "coder-1", "sonnet", "s-1", 1000).ok());
  }
  auto store = open_store(project.path());  // migrations do not run again over existing data
  auto run = store->run(id);
  ASSERT_TRUE(run.ok() && run->has_value());
  EXPECT_EQ((*run)->state, RunState::Completed);
  EXPECT_EQ((*run)->exit_reason, "exit code 0");
  EXPECT_EQ((*run)->last_seq, 1);
  EXPECT_EQ(store->events_after(id, 0)->size(), 1u);
  EXPECT_EQ(*store->last_session("1_story_a", "coder-1", "sonnet"), "s-1");
}

// `stork status` and `stork cost` without a server read state.db as it is: never created,
// never migrated, never written.
TEST(StateStore, ReadOnlyOpenReadsWhatTheServerWroteAndWritesNothing) {
  testing::TempDir project;
  auto missing = StateStore::open_read_only(project.path());
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, ::testing::HasSubstr("state.db: not found"));
  EXPECT_FALSE(std::filesystem::exists(project.path() / ".storkit" / "state.db"));
  std::int64_t id = 0;
  {
    auto store = open_store(project.path());
    id = *store->create_run(new_run(), 1000);
    ASSERT_TRUE(store->set_model(id, "scripted-model").ok());
  }
  auto reader = StateStore::open_read_only(project.path());
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto run = reader.value()->run(id);
  ASSERT_TRUE(run.ok() && run->has_value());
  EXPECT_EQ((*run)->model, "scripted-model");
  EXPECT_FALSE(reader.value()->set_model(id, "other").ok());
}

TEST(StateStore, RunLifecycleIsRecorded) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto id = store->create_run(new_run(), 1000);
  ASSERT_TRUE(id.ok()) << id.error().message;

  auto pending = **store->run(*id);
  EXPECT_EQ(pending.story, "1_story_a");
  EXPECT_EQ(pending.agent, "coder-1");
  EXPECT_EQ(pending.model, "sonnet");
  EXPECT_EQ(pending.runtime, "claude-code");
  EXPECT_EQ(pending.state, RunState::Pending);
  EXPECT_EQ(pending.started_at_ms, 1000);
  EXPECT_EQ(pending.ended_at_ms, std::nullopt);
  EXPECT_EQ(pending.session_id, std::nullopt);
  EXPECT_EQ(pending.exit_reason, "");

  ASSERT_TRUE(store->set_run_state(*id, RunState::Running, 1100).ok());
  ASSERT_TRUE(store->set_session_id(*id, "sess-abc").ok());
  auto running = **store->run(*id);
  EXPECT_EQ(running.state, RunState::Running);
  EXPECT_EQ(running.ended_at_ms, std::nullopt);
  EXPECT_EQ(running.session_id, "sess-abc");

  ASSERT_TRUE(store->set_run_state(*id, RunState::Failed, 5000, "exit code 1").ok());
  auto failed = **store->run(*id);
  EXPECT_EQ(failed.state, RunState::Failed);
  EXPECT_EQ(failed.ended_at_ms, 5000);
  EXPECT_EQ(failed.exit_reason, "exit code 1");
  EXPECT_EQ(failed.started_at_ms, 1000);
}

TEST(StateStore, ResumedRunPointsAtTheRunItContinues) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto first = *store->create_run(new_run(), 1000);
  auto resume = new_run();
  resume.session_id = "sess-1";
  resume.resumes_run = first;
  auto second = *store->create_run(resume, 2000);
  auto run = **store->run(second);
  EXPECT_EQ(run.resumes_run, first);
  EXPECT_EQ(run.session_id, "sess-1");

  resume.resumes_run = 999;  // no such run: the foreign key refuses it
  auto dangling = store->create_run(resume, 3000);
  ASSERT_FALSE(dangling.ok());
  EXPECT_THAT(dangling.error().message, HasSubstr("FOREIGN KEY constraint failed"));
}

TEST(StateStore, ChangingAMissingRunFails) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto state = store->set_run_state(42, RunState::Running, 1);
  ASSERT_FALSE(state.ok());
  EXPECT_THAT(state.error().message, HasSubstr("no run 42"));
  EXPECT_FALSE(store->set_session_id(42, "s").ok());
  EXPECT_FALSE(store->set_blocked_until(42, 5).ok());
  EXPECT_EQ(*store->run(42), std::nullopt);
}

TEST(StateStore, RunsAreNewestFirstFilteredAndLimited) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto a1 = *store->create_run(new_run("1_story_a"), 1);
  auto b1 = *store->create_run(new_run("2_story_b"), 2);
  auto a2 = *store->create_run(new_run("1_story_a"), 3);
  auto b2 = *store->create_run(new_run("2_story_b"), 4);
  EXPECT_THAT(ids(*store->runs()), ElementsAre(b2, a2, b1, a1));
  EXPECT_THAT(ids(*store->runs("1_story_a")), ElementsAre(a2, a1));
  EXPECT_THAT(ids(*store->runs(std::nullopt, 3)), ElementsAre(b2, a2, b1));
  EXPECT_THAT(ids(*store->runs("2_story_b", 1)), ElementsAre(b2));
  EXPECT_TRUE(store->runs("9_story_none")->empty());
}

TEST(StateStore, MarkUnfinishedInterruptedTakesExactlyPendingAndRunning) {
  testing::TempDir project;
  std::int64_t pending = 0, running = 0;
  std::vector<std::int64_t> settled;
  {
    auto store = open_store(project.path());
    pending = *store->create_run(new_run(), 1);
    running = *store->create_run(new_run(), 2);
    ASSERT_TRUE(store->set_run_state(running, RunState::Running, 2).ok());
    ASSERT_TRUE(store->set_session_id(running, "sess-r").ok());
    for (auto state : {RunState::Completed, RunState::Failed, RunState::Stopped,
                       RunState::Interrupted, RunState::Blocked}) {
      auto id = *store->create_run(new_run(), 3);
      ASSERT_TRUE(store->set_run_state(id, state, 4, "before").ok());
      settled.push_back(id);
    }
  }  // "crash": the store is gone, the runs are left as they were

  auto store = open_store(project.path());
  auto interrupted = store->mark_unfinished_interrupted(9000);
  ASSERT_TRUE(interrupted.ok()) << interrupted.error().message;
  ASSERT_THAT(ids(*interrupted), ElementsAre(pending, running));
  EXPECT_EQ((*interrupted)[1].session_id, "sess-r");  // what a resume needs
  for (const auto& run : *interrupted) {
    EXPECT_EQ(run.state, RunState::Interrupted);
    EXPECT_EQ(run.ended_at_ms, 9000);
  }
  EXPECT_EQ((*interrupted)[0].exit_reason, "interrupted while pending");
  EXPECT_EQ((*interrupted)[1].exit_reason, "interrupted while running");
  EXPECT_EQ((**store->run(running)).state, RunState::Interrupted);
  for (auto id : settled)
    EXPECT_EQ((**store->run(id)).exit_reason, "before") << id;
  EXPECT_TRUE(store->mark_unfinished_interrupted(9500)->empty());  // nothing left behind
}

TEST(StateStore, BlockedRunsAreListedSoonestFirstAndUnblockingClearsTheTime) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto late = *store->create_run(new_run(), 1);
  auto soon = *store->create_run(new_run(), 2);
  auto other = *store->create_run(new_run(), 3);
  ASSERT_TRUE(store->set_run_state(late, RunState::Blocked, 10, "rate limited").ok());
  ASSERT_TRUE(store->set_blocked_until(late, 9000).ok());
  ASSERT_TRUE(store->set_run_state(soon, RunState::Blocked, 10).ok());
  ASSERT_TRUE(store->set_blocked_until(soon, 5000).ok());
  ASSERT_TRUE(store->set_run_state(other, RunState::Running, 10).ok());

  auto blocked = store->blocked_runs();
  ASSERT_TRUE(blocked.ok());
  EXPECT_THAT(ids(*blocked), ElementsAre(soon, late));
  EXPECT_EQ((*blocked)[0].blocked_until_ms, 5000);
  EXPECT_EQ((*blocked)[1].ended_at_ms, std::nullopt);  // Blocked is not final

  ASSERT_TRUE(store->set_run_state(soon, RunState::Running, 5001).ok());
  EXPECT_EQ((**store->run(soon)).blocked_until_ms, std::nullopt);
  EXPECT_THAT(ids(*store->blocked_runs()), ElementsAre(late));
}

TEST(StateStore, CorruptDatabaseFileIsAnErrorNamingTheFile) {
  testing::TempDir project;
  std::string garbage;
  for (int i = 0; i < 8192; ++i)
    garbage += static_cast<char>((i * 7919) % 251);
  testing::write_text(project / ".storkit/state.db", garbage);
  auto store = StateStore::open(project.path());
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.error().message, HasSubstr((project / ".storkit/state.db").string()));
  EXPECT_THAT(store.error().message, HasSubstr("file is not a database"));
}

TEST(StateStore, NewerSchemaVersionIsRefused) {
  testing::TempDir project;
  { open_store(project.path()); }
  {
    auto db = Database::open(project / ".storkit/state.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(
        db->exec("PRAGMA user_version = " + std::to_string(latest_schema_version() + 1)).ok());
  }
  auto store = StateStore::open(project.path());
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.error().message, HasSubstr((project / ".storkit/state.db").string()));
  EXPECT_THAT(
      store.error().message,
      HasSubstr("schema version " + std::to_string(latest_schema_version() + 1) +
                ", newer than this stork knows (" + std::to_string(latest_schema_version()) + ")"));
}

TEST(StateStore, OpenWithoutProjectDirectoryFails) {
  testing::TempDir dir;
  auto store = StateStore::open(dir / "missing");
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.error().message, HasSubstr((dir / "missing/.storkit").string()));
}

}  // namespace
}  // namespace stork::state

namespace stork::state {
namespace {

TEST(RunStoreResume, NewestInterruptedRunOfEachAgentAndItemIsResumable) {
  testing::TempDir project;
  auto store = open_store(project.path());
  auto crashed = *store->create_run(new_run("1_story_a", "coder-1"), 1);
  ASSERT_TRUE(store->set_run_state(crashed, RunState::Running, 2).ok());
  auto shut_down = *store->create_run(new_run("2_story_b", "qa"), 3);
  ASSERT_TRUE(store->set_run_state(shut_down, RunState::Interrupted, 4, "stork shut down").ok());
  auto superseded = *store->create_run(new_run("3_story_c", "coder-2"), 5);
  ASSERT_TRUE(store->set_run_state(superseded, RunState::Interrupted, 6).ok());
  auto newer = *store->create_run(new_run("3_story_c", "coder-2"), 7);
  ASSERT_TRUE(store->set_run_state(newer, RunState::Completed, 8).ok());
  auto done = *store->create_run(new_run("4_story_d", "coder-1"), 9);
  ASSERT_TRUE(store->set_run_state(done, RunState::Completed, 10).ok());

  ASSERT_TRUE(store->mark_unfinished_interrupted(11).ok());
  auto resumable = store->resumable_runs();
  ASSERT_TRUE(resumable.ok()) << resumable.error().message;
  std::vector<std::int64_t> ids;
  for (const auto& run : *resumable)
    ids.push_back(run.id);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{crashed, shut_down}));
}

}  // namespace
}  // namespace stork::state
