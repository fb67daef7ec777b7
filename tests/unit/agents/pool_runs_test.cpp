// What the pool does with a run: events numbered and persisted, sessions and token usage
// recorded, waiting, stopping, inactivity, rate limits, shutdown and recovery. The agents are
// real `command` processes printing what Claude Code would print (stream-json lines).
#include <chrono>
#include <fstream>
#include <mutex>

#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "agents/event_summary.hpp"
#include "pool_fixture.hpp"
#include "state/run_store.hpp"
#include "support/git_fixture.hpp"
#include "work/stage_store.hpp"

namespace stork::testing {
namespace {

using agents::AgentStatus;
using agents::PoolError;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

bool process_exists(int pid) {
  return ::kill(pid, 0) == 0;
}

std::string init_line(const std::string& session) {
  return R"(echo '{"type":"system","subtype":"init","session_id":")" + session +
         R"(","model":"scripted-model"}')";
}

const std::string kResultLine =
    R"(echo '{"type":"result","subtype":"success","is_error":false,"result":"done",)"
    R"("total_cost_usd":0.25,"num_turns":2,"usage":{"input_tokens":100,"output_tokens":20,)"
    R"("cache_creation_input_tokens":5,"cache_read_input_tokens":7}}')";

class PoolRuns : public PoolTest {
 protected:
  std::vector<agents::AgentEvent> events(const std::string& story, const std::string& agent) {
    auto drained = run(pool_->drain_events(story, agent));
    EXPECT_TRUE(drained.ok());
    return drained.ok() ? drained.value() : std::vector<agents::AgentEvent>{};
  }
  static std::vector<std::string> texts(const std::vector<agents::AgentEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
      if (e.type == "output")
        out.push_back(std::string(boost::json::parse(e.payload).at("text").as_string()));
    }
    return out;
  }
};

// Without a pipeline (`stork run`), the pool commits the backlog move itself, before the
// start answers (issue 15 item 7).
TEST_F(PoolRuns, StartWithoutAPipelineCommitsTheBacklogMoveBeforeAnswering) {
  open_pool({{"coder-1", "coder", "sleep 30"}});
  add_item(Stage::Backlog, "1_story_x");
  git(root(), {"add", ".storkit/work"});
  git(root(), {"commit", "-qm", "storkit: create 1_story_x"});
  auto started = start("1_story_x");
  ASSERT_TRUE(started.ok()) << started.error().message;
  EXPECT_EQ(stage_of("1_story_x"), Stage::Current);
  EXPECT_EQ(git(root(), {"status", "--porcelain", "--", ".storkit/work/1_backlog"}), "");
  EXPECT_EQ(git(root(), {"log", "-1", "--format=%s"}), "storkit: start 1_story_x\n");
}

TEST_F(PoolRuns, WaitReturnsAtOnceForACompletedRun) {
  open_pool({{"bot", "coder", "exit 0"}});
  add_item(Stage::Current, "1_story_s1");
  ASSERT_TRUE(start("1_story_s1", "bot").ok());
  ASSERT_EQ(wait("1_story_s1", "bot").status, AgentStatus::Completed);
  const auto before = std::chrono::steady_clock::now();
  auto again = wait("1_story_s1", "bot", 1000ms);
  EXPECT_EQ(again.status, AgentStatus::Completed);
  EXPECT_EQ(again.story_id, "1_story_s1");
  EXPECT_EQ(again.agent_name, "bot");
  EXPECT_LT(std::chrono::steady_clock::now() - before, 500ms);
}

TEST_F(PoolRuns, WaitReturnsAtOnceForAFailedRun) {
  open_pool({{"bot", "coder", "exit 3"}});
  add_item(Stage::Current, "2_story_s2");
  ASSERT_TRUE(start("2_story_s2", "bot").ok());
  auto info = wait("2_story_s2", "bot");
  EXPECT_EQ(info.status, AgentStatus::Failed);
  EXPECT_THAT(info.exit_reason, HasSubstr("3"));
}

TEST_F(PoolRuns, WaitCompletesWhenTheRunEnds) {
  open_pool({{"bot", "coder", "sleep 0.3"}});
  add_item(Stage::Current, "3_story_s3");
  ASSERT_TRUE(start("3_story_s3", "bot").ok());
  EXPECT_EQ(wait("3_story_s3", "bot", 5000ms).status, AgentStatus::Completed);
}

TEST_F(PoolRuns, WaitTimesOut) {
  open_pool({{"bot", "coder", "sleep 30"}});
  add_item(Stage::Current, "4_story_s4");
  ASSERT_TRUE(start("4_story_s4", "bot").ok());
  auto result = run(pool_->wait_for_agent("4_story_s4", "bot", 50ms));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, PoolError::Kind::Timeout);
  EXPECT_EQ(result.error().story, "4_story_s4");
  EXPECT_EQ(result.error().agent, "bot");
  EXPECT_EQ(result.error().waited, 50ms);
  ASSERT_TRUE(result.error().holder_status.has_value());
  EXPECT_FALSE(agents::is_finished(*result.error().holder_status));
}

TEST_F(PoolRuns, WaitErrorsForARunThatDoesNotExist) {
  open_pool({{"bot", "coder"}});
  auto result = run(pool_->wait_for_agent("no_story", "no_bot", 100ms));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, PoolError::Kind::NotFound);
  EXPECT_EQ(result.error().story, "no_story");
  EXPECT_EQ(result.error().agent, "no_bot");
}

TEST_F(PoolRuns, WaitCompletesWhenTheRunIsStopped) {
  open_pool({{"bot", "coder", "sleep 30"}});
  add_item(Stage::Current, "5_story_s5");
  ASSERT_TRUE(start("5_story_s5", "bot").ok());
  auto waiting = spawn(pool_->wait_for_agent("5_story_s5", "bot", 10s));
  ASSERT_TRUE(
      eventually([&] { return run(pool_->list_agents())[0].status == AgentStatus::Running; }));
  auto stopped = run(pool_->stop_agent("5_story_s5", "bot"));
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped.value().status, AgentStatus::Stopped);
  auto waited = *waiting.get();
  ASSERT_TRUE(waited.ok());
  EXPECT_EQ(waited.value().status, AgentStatus::Stopped);
  EXPECT_TRUE(std::filesystem::exists(waited.value().worktree_path)) << "stop keeps the worktree";
}

TEST_F(PoolRuns, StopEscalatesToKillForAnAgentIgnoringSigterm) {
  open_pool({{"bot", "coder", "trap '' TERM; echo ready; while :; do sleep 0.1; done"}});
  add_item(Stage::Current, "6_story_s6");
  ASSERT_TRUE(start("6_story_s6", "bot").ok());
  ASSERT_TRUE(eventually([&] { return texts(events("6_story_s6", "bot")).size() == 1; }));
  const int pid = *run(pool_->list_agents())[0].pid;
  auto stopped = run(pool_->stop_agent("6_story_s6", "bot"));
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped.value().status, AgentStatus::Stopped);
  EXPECT_TRUE(eventually([&] { return !process_exists(pid); }, 3s));
}

TEST_F(PoolRuns, EventsAreNumberedPersistedAndStreamedInOrder) {
  open_pool({{"bot", "coder", "for i in 1 2 3 4 5; do echo line $i; done"}});
  add_item(Stage::Current, "7_story_ev");
  std::mutex mutex;
  std::vector<agents::AgentEvent> streamed;
  run(pool_->subscribe([&](const std::vector<agents::AgentEvent>& batch) {
    std::lock_guard lock(mutex);
    streamed.insert(streamed.end(), batch.begin(), batch.end());
  }));
  ASSERT_TRUE(start("7_story_ev", "bot").ok());
  wait("7_story_ev", "bot");
  auto stored = events("7_story_ev", "bot");
  ASSERT_FALSE(stored.empty());
  EXPECT_EQ(texts(stored),
            (std::vector<std::string>{"line 1", "line 2", "line 3", "line 4", "line 5"}));
  for (size_t i = 0; i < stored.size(); ++i)
    EXPECT_EQ(stored[i].seq, static_cast<int64_t>(i + 1));
  EXPECT_EQ(stored.back().type, "done");
  std::lock_guard lock(mutex);
  ASSERT_EQ(streamed.size(), stored.size());
  ASSERT_FALSE(streamed.empty());
  for (size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(streamed[i].seq, stored[i].seq);
    EXPECT_EQ(streamed[i].type, stored[i].type);
  }
  // Events after a sequence number: what a reconnecting client asks for.
  auto tail = run(pool_->drain_events("7_story_ev", "bot", stored.size() - 2));
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail.value().size(), 2u);
}

TEST_F(PoolRuns, PromptReachesTheAgentOnStdinAndInTheEnvironment) {
  open_pool({{"bot", "coder",
              R"(read first; echo "stdin: $first"; echo "story: $STORK_STORY_ID"; )"
              R"(case "$STORK_PROMPT" in *7_story_prompt*) echo env-ok;; esac)"}});
  add_item(Stage::Current, "7_story_prompt");
  ASSERT_TRUE(start("7_story_prompt", "bot").ok());
  wait("7_story_prompt", "bot");
  auto lines = texts(events("7_story_prompt", "bot"));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], HasSubstr("You are bot"));
  EXPECT_EQ(lines[1], "story: 7_story_prompt");
  EXPECT_EQ(lines[2], "env-ok");
}

TEST_F(PoolRuns, AgentRunsInItsOwnWorktreeOnItsFeatureBranch) {
  open_pool({{"bot", "coder",
              "echo work > work.txt && git add work.txt && git commit -qm work && git branch "
              "--show-current"}});
  add_item(Stage::Current, "8_story_wt");
  ASSERT_TRUE(start("8_story_wt", "bot").ok());
  auto info = wait("8_story_wt", "bot");
  ASSERT_EQ(info.status, AgentStatus::Completed) << info.exit_reason;
  EXPECT_EQ(info.worktree_path, root() / ".storkit/worktrees/8_story_wt");
  EXPECT_EQ(texts(events("8_story_wt", "bot")),
            std::vector<std::string>{"feature/story-8_story_wt"});
  EXPECT_FALSE(std::filesystem::exists(root() / "work.txt")) << "the main checkout is untouched";
}

TEST_F(PoolRuns, SessionUsageAndCostAreRecorded) {
  open_pool({{"bot", "coder", init_line("sess-1") + "; echo working; " + kResultLine}});
  add_item(Stage::Current, "9_story_usage");
  ASSERT_TRUE(start("9_story_usage", "bot").ok());
  auto info = wait("9_story_usage", "bot");
  ASSERT_EQ(info.status, AgentStatus::Completed) << info.exit_reason;
  EXPECT_EQ(info.session_id, "sess-1");

  auto store = state::StateStore::open(root());
  ASSERT_TRUE(store.ok());
  auto usage = store.value()->token_usage(std::string("9_story_usage"));
  ASSERT_TRUE(usage.ok());
  ASSERT_EQ(usage.value().size(), 1u);
  EXPECT_EQ(usage.value()[0].input_tokens, 100);
  EXPECT_EQ(usage.value()[0].output_tokens, 20);
  EXPECT_DOUBLE_EQ(usage.value()[0].cost_usd, 0.25);
  EXPECT_EQ(usage.value()[0].session_id, "sess-1");
  auto jsonl = read_text(root() / ".storkit/token_usage.jsonl");
  EXPECT_THAT(jsonl, HasSubstr("\"story_id\":\"9_story_usage\""));
  auto run_record = store.value()->run(info.run_id);
  ASSERT_TRUE(run_record.ok() && run_record.value());
  EXPECT_EQ(run_record.value()->session_id, "sess-1");
  EXPECT_EQ(run_record.value()->state, state::RunState::Completed);
  // The raw stream is in the run's log, named after the session.
  auto log = read_text(root() / ".storkit/logs/9_story_usage/bot-sess-1.log");
  EXPECT_THAT(log, HasSubstr("\"session_id\":\"sess-1\""));
  EXPECT_THAT(log, HasSubstr("working"));
}

TEST_F(PoolRuns, SecondStartResumesTheLastSession) {
  // The first run reports session "sess-new"; a resumed one reports what it was given.
  open_pool(
      {{"bot", "coder",
        R"(echo "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"sess-${STORK_RESUME_SESSION:-new}\"}"; )"
        R"(echo "resume=$STORK_RESUME_SESSION")"}});
  add_item(Stage::Current, "10_story_resume");
  ASSERT_TRUE(start("10_story_resume", "bot").ok());
  ASSERT_EQ(wait("10_story_resume", "bot").session_id, "sess-new");
  ASSERT_TRUE(start("10_story_resume", "bot").ok());
  wait("10_story_resume", "bot");
  EXPECT_EQ(texts(events("10_story_resume", "bot")), std::vector<std::string>{"resume=sess-new"});
}

// Issue 15 item 9: a resumed run had session_id null and model "" in its record, and its
// usage was the session's total (Claude Code restores the session's cost when it resumes it),
// so `stork agent logs` and the item's cost counted the first run twice.
const std::string kResumingAgent =
    init_line("sess-1") + "; " +
    R"(cost=0.003272; [ -n "$STORK_RESUME_SESSION" ] && cost=0.008272; )"
    R"(echo "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,)"
    R"(\"total_cost_usd\":$cost,\"usage\":{\"input_tokens\":10,\"output_tokens\":2}}")";

TEST_F(PoolRuns, ResumedRunRecordsItsSessionModelAndOwnCost) {
  open_pool({{"bot", "coder", kResumingAgent}});
  add_item(Stage::Current, "10_story_cost");
  ASSERT_TRUE(start("10_story_cost", "bot").ok());
  const auto first = wait("10_story_cost", "bot");
  ASSERT_EQ(first.status, AgentStatus::Completed) << first.exit_reason;
  ASSERT_TRUE(start("10_story_cost", "bot").ok());
  const auto second = wait("10_story_cost", "bot");
  ASSERT_EQ(second.status, AgentStatus::Completed) << second.exit_reason;
  ASSERT_NE(first.run_id, second.run_id);

  auto store = state::StateStore::open(root());
  ASSERT_TRUE(store.ok());
  auto record = store.value()->run(second.run_id);
  ASSERT_TRUE(record.ok() && record.value());
  EXPECT_EQ(record.value()->session_id, "sess-1");
  EXPECT_EQ(record.value()->model, "scripted-model");
  auto usage = store.value()->token_usage(std::string("10_story_cost"));
  ASSERT_TRUE(usage.ok());
  ASSERT_EQ(usage.value().size(), 2u);
  EXPECT_DOUBLE_EQ(usage.value()[0].cost_usd, 0.003272);
  EXPECT_NEAR(usage.value()[1].cost_usd, 0.005, 1e-9);  // 0.008272 (session) - 0.003272
  // The result event says the run's own cost, as people read amounts.
  std::string result_line;
  for (const auto& event : events("10_story_cost", "bot")) {
    if (event.type == "result") result_line = agents::summarize(event);
  }
  EXPECT_EQ(result_line, "result: success, $0.005");
}

TEST_F(PoolRuns, InactiveAgentIsKilledAndTheRunFails) {
  TestAgent silent{"bot", "coder", "echo started; sleep 30", /*inactivity_timeout_secs=*/1};
  open_pool({silent});
  add_item(Stage::Current, "11_story_idle");
  ASSERT_TRUE(start("11_story_idle", "bot").ok());
  ASSERT_TRUE(eventually([&] { return run(pool_->list_agents())[0].pid.has_value(); }));
  const int pid = *run(pool_->list_agents())[0].pid;
  auto info = wait("11_story_idle", "bot", 10s);
  EXPECT_EQ(info.status, AgentStatus::Failed);
  EXPECT_THAT(info.exit_reason, HasSubstr("inactive"));
  EXPECT_FALSE(process_exists(pid));
}

// An agent waiting on a person's answer to a permission question is silent, not hung: the
// question holds its inactivity timeout until the answer is recorded.
TEST_F(PoolRuns, APermissionQuestionHoldsTheInactivityTimeoutUntilItIsAnswered) {
  const auto waited = root() / "waited";
  TestAgent asking{"bot", "coder",
                   "echo started; sleep 3; touch '" + waited.string() + "'; sleep 30",
                   /*inactivity_timeout_secs=*/1};
  open_pool({asking});
  add_item(Stage::Current, "11_story_asks");
  ASSERT_TRUE(start("11_story_asks", "bot").ok());
  ASSERT_TRUE(eventually([&] { return run(pool_->list_agents())[0].pid.has_value(); }));
  ASSERT_TRUE(
      run(pool_->record_event("11_story_asks", "bot", agents::event_type::kPermissionRequest,
                              R"({"id":"p1","tool_name":"Bash"})"))
          .ok());
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(waited); }, 10s));
  EXPECT_EQ(run(pool_->list_agents())[0].status, AgentStatus::Running)
      << "killed while its question waited";
  ASSERT_TRUE(
      run(pool_->record_event("11_story_asks", "bot", agents::event_type::kPermissionDecision,
                              R"({"id":"p1","behavior":"allow"})"))
          .ok());
  auto info = wait("11_story_asks", "bot", 10s);
  EXPECT_EQ(info.status, AgentStatus::Failed);
  EXPECT_THAT(info.exit_reason, HasSubstr("inactive"));
}

TEST_F(PoolRuns, MissingCommandFailsTheRunWithAClearReason) {
  TestAgent broken{"bot", "coder"};
  broken.command = "/no/such/agent";
  open_pool({broken});
  add_item(Stage::Current, "11_story_broken");
  ASSERT_TRUE(start("11_story_broken", "bot").ok());
  auto info = wait("11_story_broken", "bot");
  EXPECT_EQ(info.status, AgentStatus::Failed);
  EXPECT_THAT(info.exit_reason, HasSubstr("/no/such/agent"));
}

TEST_F(PoolRuns, WarningRateLimitMarksTheRunThrottled) {
  open_pool(
      {{"bot", "coder",
        R"(echo '{"type":"rate_limit_event","rate_limit_info":{"status":"allowed_warning","rateLimitType":"five_hour"}}'; sleep 30)"}});
  add_item(Stage::Current, "12_story_warn");
  ASSERT_TRUE(start("12_story_warn", "bot").ok());
  EXPECT_TRUE(
      eventually([&] { return run(pool_->list_agents())[0].status == AgentStatus::Throttled; }));
}

TEST_F(PoolRuns, WarningEndsWhenTheLimitIsAllowedAgain) {
  open_pool(
      {{"bot", "coder",
        R"(echo '{"type":"rate_limit_event","rate_limit_info":{"status":"allowed_warning"}}'; )"
        R"(sleep 0.5; echo '{"type":"rate_limit_event","rate_limit_info":{"status":"allowed"}}'; sleep 30)"}});
  add_item(Stage::Current, "12_story_allowed");
  ASSERT_TRUE(start("12_story_allowed", "bot").ok());
  ASSERT_TRUE(
      eventually([&] { return run(pool_->list_agents())[0].status == AgentStatus::Throttled; }));
  EXPECT_TRUE(
      eventually([&] { return run(pool_->list_agents())[0].status == AgentStatus::Running; }));
}

TEST_F(PoolRuns, HardRateLimitBlocksTheRunUntilTheResetThenResumesIt) {
  // First run: rejected with a reset one second from now. The resumed run (which gets the
  // session to resume in STORK_RESUME_SESSION) completes.
  const std::string script =
      R"(if [ -n "$STORK_RESUME_SESSION" ]; then echo "resumed $STORK_RESUME_SESSION"; exit 0; fi; )" +
      init_line("sess-rl") + "; " +
      R"(echo "{\"type\":\"rate_limit_event\",\"rate_limit_info\":{\"status\":\"rejected\",\"resetsAt\":$(( $(date +%s) + 1 )),\"rateLimitType\":\"five_hour\"}}"; )"
      // As the CLI does: an error result without the reset time follows the event.
      R"(echo '{"type":"result","subtype":"success","is_error":true,"api_error_status":429,"result":"rate limited"}'; exit 1)";
  open_pool({{"bot", "coder", script}});
  add_item(Stage::Current, "13_story_limit");
  auto first = start("13_story_limit", "bot");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(
      eventually([&] { return run(pool_->list_agents())[0].status == AgentStatus::Blocked; }));
  auto blocked = run(pool_->list_agents())[0];
  ASSERT_TRUE(blocked.blocked_until_ms.has_value());
  // The reset the event named (about a second away) holds, not the five-minute fallback.
  EXPECT_LT(*blocked.blocked_until_ms, std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                               .count() +
                                           10'000);
  // Then it resumes by itself: a new run that completes.
  ASSERT_TRUE(eventually(
      [&] {
        auto agents = run(pool_->list_agents());
        return agents[0].run_id != first.value().run_id &&
               agents[0].status == AgentStatus::Completed;
      },
      15s));
  EXPECT_EQ(texts(events("13_story_limit", "bot")), std::vector<std::string>{"resumed sess-rl"});
}

TEST_F(PoolRuns, ShutdownKillsEveryAgentAndMarksRunsInterrupted) {
  open_pool({{"coder-1", "coder", "sleep 30"}, {"coder-2", "coder", "sleep 30"}});
  add_item(Stage::Current, "14_story_a");
  add_item(Stage::Current, "15_story_b");
  ASSERT_TRUE(start("14_story_a", "coder-1").ok());
  ASSERT_TRUE(start("15_story_b", "coder-2").ok());
  ASSERT_TRUE(eventually([&] {
    auto agents = run(pool_->list_agents());
    return agents.size() == 2 && agents[0].pid && agents[1].pid;
  }));
  std::vector<int> pids;
  for (const auto& agent : run(pool_->list_agents()))
    pids.push_back(*agent.pid);
  ASSERT_EQ(pids.size(), 2u);
  run(pool_->shutdown());
  for (int pid : pids)
    EXPECT_FALSE(process_exists(pid)) << pid;
  const auto after_shutdown = run(pool_->list_agents());
  ASSERT_EQ(after_shutdown.size(), 2u);
  for (const auto& agent : after_shutdown)
    EXPECT_EQ(agent.status, AgentStatus::Interrupted);
  auto after = start("14_story_a", "coder-1");
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().kind, PoolError::Kind::ShuttingDown);
}

TEST_F(PoolRuns, ASharedWorkerPoolCarriesTheWorktreeWork) {
  // Outlives the pool (which keeps a strand on it) whatever the order of teardown.
  static boost::asio::thread_pool shared(1);
  pool_options_.workers = shared.get_executor();
  pool_options_.worker_threads = 0;  // ignored: the pool starts no threads of its own
  open_pool({{"bot", "coder", "exit 0"}});
  add_item(Stage::Current, "18_story_shared");
  ASSERT_TRUE(start("18_story_shared", "bot").ok());
  auto info = wait("18_story_shared", "bot");
  EXPECT_EQ(info.status, AgentStatus::Completed) << info.exit_reason;
  EXPECT_TRUE(std::filesystem::exists(info.worktree_path));
}

TEST_F(PoolRuns, ShutdownOfAnEmptyPoolIsSafe) {
  open_pool({{"bot", "coder"}});
  run(pool_->shutdown());
  EXPECT_TRUE(run(pool_->list_agents()).empty());
}

TEST_F(PoolRuns, RecoveryResumesRunsACrashLeftRunning) {
  add_item(Stage::Current, "16_story_crash");
  add_item(Stage::Done, "17_story_finished");
  {
    // What a crashed server leaves behind: runs still marked running.
    std::filesystem::create_directories(root() / ".storkit");
    auto store = state::StateStore::open(root());
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto crashed =
        store.value()->create_run({"16_story_crash", "bot", "", "command", "sess-c", {}}, 1);
    ASSERT_TRUE(store.value()->set_run_state(crashed.value(), state::RunState::Running, 2).ok());
    ASSERT_TRUE(store.value()->remember_session("16_story_crash", "bot", "", "sess-c", 2).ok());
    auto gone = store.value()->create_run({"17_story_finished", "bot", "", "command", {}, {}}, 1);
    ASSERT_TRUE(store.value()->set_run_state(gone.value(), state::RunState::Running, 2).ok());
  }
  open_pool({{"bot", "coder", "echo \"resumed $STORK_RESUME_SESSION\""}});
  auto resumed = run(pool_->recover());
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_EQ(resumed[0].story_id, "16_story_crash");
  EXPECT_EQ(wait("16_story_crash", "bot").status, AgentStatus::Completed);
  EXPECT_EQ(texts(events("16_story_crash", "bot")), std::vector<std::string>{"resumed sess-c"});
  auto store = state::StateStore::open(root());
  auto runs = store.value()->runs();
  ASSERT_TRUE(runs.ok());
  int interrupted = 0;
  for (const auto& r : runs.value())
    interrupted += r.state == state::RunState::Interrupted;
  EXPECT_EQ(interrupted, 2) << "both crashed runs are marked interrupted";
}

TEST_F(PoolRuns, ArchivingAStoryAndRemovingItsAgentsLeavesOthers) {
  open_pool({{"coder-1", "coder", "exit 0"},
             {"qa", "other", "exit 0"},
             {"coder-2", "coder", "sleep 30"}});
  add_item(Stage::Current, "60_story_cleanup");
  add_item(Stage::Current, "61_story_other");
  ASSERT_TRUE(start("60_story_cleanup", "coder-1").ok());
  ASSERT_TRUE(start("60_story_cleanup", "qa").ok());
  ASSERT_TRUE(start("61_story_other", "coder-2").ok());
  wait("60_story_cleanup", "coder-1");
  wait("60_story_cleanup", "qa");
  ASSERT_EQ(run(pool_->list_agents()).size(), 3u);
  StageStore store(root());
  ASSERT_TRUE(store.move("60_story_cleanup", Stage::Done).ok());
  run(pool_->remove_agents_for_story("60_story_cleanup"));
  auto remaining = run(pool_->list_agents());
  ASSERT_EQ(remaining.size(), 1u);
  EXPECT_EQ(remaining[0].story_id, "61_story_other");
  EXPECT_TRUE(std::filesystem::exists(root() / ".storkit/work/5_done/60_story_cleanup.md"));
}

// After a restart the pool has no entry for an agent that ran on the item before: a message
// said to it by name waits in the inbox for its next start (on its last run's record), and
// that start's first turn carries it; a name that is neither in the roster nor among the
// item's runs is NotFound.
TEST_F(PoolRuns, SayToAnAgentWithoutALiveRunQueuesItForItsNextStart) {
  add_item(Stage::Current, "18_story_idle");
  std::int64_t before_restart = 0;
  {
    std::filesystem::create_directories(root() / ".storkit");
    auto store = state::StateStore::open(root());
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto earlier = store.value()->create_run({"18_story_idle", "bot", "", "command", {}, {}}, 1);
    ASSERT_TRUE(earlier.ok());
    before_restart = earlier.value();
    ASSERT_TRUE(store.value()->set_run_state(before_restart, state::RunState::Completed, 2).ok());
  }
  open_pool({{"bot", "coder", "grep -o 'PANGOLIN-7' | head -n 1"}});
  auto said = run(pool_->say("18_story_idle", "bot", "mind the PANGOLIN-7 edge case"));
  ASSERT_TRUE(said.ok()) << said.error().message;
  EXPECT_FALSE(said.value().live);
  EXPECT_EQ(said.value().run_id, before_restart);
  EXPECT_THAT(said.value().queued_reason, HasSubstr("since the server started"));
  auto ghost = run(pool_->say("18_story_idle", "ghost", "anyone?"));
  ASSERT_FALSE(ghost.ok());
  EXPECT_EQ(ghost.error().kind, PoolError::Kind::NotFound);
  ASSERT_TRUE(start("18_story_idle", "bot").ok());
  wait("18_story_idle", "bot");
  EXPECT_EQ(texts(events("18_story_idle", "bot")), std::vector<std::string>{"PANGOLIN-7"});
}

}  // namespace
}  // namespace stork::testing
