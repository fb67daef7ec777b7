// The agent pool with the real Claude Code CLI: each test runs the CLI in the pool's PTY, in the
// story's worktree, against a scripted Messages API server playing one scenario of
// tests/fixtures/claude/scenarios/, and checks what the pool made of it: run status, session,
// commits, token usage and cost, log file, events, rate-limit blocking and resuming, and the
// inactivity kill. Expected costs are the CLI's own arithmetic on claude-sonnet-4-5's list price
// ($3 / $15 per million input / output tokens) with the 120 input / 30 output tokens the server
// reports per answer: $0.00081 per answer.
#include <cerrno>
#include <csignal>
#include <fstream>
#include <set>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "claude_pool_fixture.hpp"
#include "state/run_store.hpp"
#include "support/git_fixture.hpp"
#include "support/process_probe.hpp"

namespace stork::testing {
namespace {

namespace json = boost::json;
using agents::AgentEvent;
using agents::AgentStatus;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr double kCostPerAnswer = 0.00081;

class ClaudePool : public ClaudePoolTest {};

json::object payload(const AgentEvent& event) {
  return json::parse(event.payload).as_object();
}

std::string text_of(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::vector<AgentEvent> of_type(const std::vector<AgentEvent>& events, std::string_view type) {
  std::vector<AgentEvent> found;
  for (const auto& event : events) {
    if (event.type == type) found.push_back(event);
  }
  return found;
}

std::vector<std::string> texts_of(const std::vector<AgentEvent>& events, std::string_view type,
                                  std::string_view key) {
  std::vector<std::string> texts;
  for (const auto& event : of_type(events, type))
    texts.push_back(text_of(payload(event), key));
  return texts;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  return text;
}

// The scripted server's log entries for requests of the agent's own conversation.
std::vector<json::object> main_requests(const std::vector<std::string>& lines) {
  std::vector<json::object> found;
  for (const auto& line : lines) {
    auto request = json::parse(line).as_object();
    if (text_of(request, "kind") == "main") found.push_back(std::move(request));
  }
  return found;
}

std::int64_t step_of(const json::object& request) {
  const auto& step = request.at("step");
  return step.is_int64() ? step.get_int64() : -1;
}

std::string session_header(const json::object& request) {
  return text_of(request.at("headers").as_object(), "x-claude-code-session-id");
}

bool gone(pid_t pid) {
  return process_gone(pid);
}

bool group_gone(pid_t pgid) {
  return ::kill(-pgid, 0) != 0 && errno == ESRCH;
}

std::vector<AgentEvent> stored_events(const std::filesystem::path& root, std::int64_t run_id) {
  std::vector<AgentEvent> events;
  auto store = state::StateStore::open(root);
  EXPECT_TRUE(store.ok());
  if (!store.ok()) return events;
  auto records = store.value()->events_after(run_id, 0);
  EXPECT_TRUE(records.ok());
  if (!records.ok()) return events;
  for (auto& record : records.value()) {
    events.push_back(
        {record.run_id, record.seq, record.time_ms, "", "", record.type, record.payload});
  }
  return events;
}

// (a) Write a file, commit it with Bash, end with text: scenario write_commit.json.
TEST_F(ClaudePool, AgentCommitsOnItsFeatureBranchAndTheRunIsRecordedInFull) {
  open_project({"write_commit.json"});
  const std::string story = "1_story_hello";
  add_story(story);
  auto started = start(story);
  ASSERT_TRUE(started.ok()) << started.error().message;
  auto info = wait(story, 20s);
  ASSERT_EQ(info.status, AgentStatus::Completed) << info.exit_reason << "\n" << diagnostics(story);
  ASSERT_TRUE(info.session_id.has_value());
  const std::string session = *info.session_id;
  EXPECT_EQ(info.run_id, started.value().run_id);
  EXPECT_EQ(info.model, kModel);

  // The commit is the agent's, on the story's branch only; main and its checkout are untouched.
  const std::string branch = "feature/story-" + story;
  const std::string commit = trimmed(git(root(), {"rev-parse", branch}));
  EXPECT_EQ(trimmed(git(root(), {"log", "-1", "--format=%s", commit})), "Add hello.txt");
  EXPECT_EQ(git(root(), {"show", "--name-only", "--format=", commit}), "hello.txt\n")
      << "only the agent's file is committed (the worktree's .mcp.json stays out)";
  EXPECT_EQ(git(root(), {"branch", "--format=%(refname:short)", "--contains", commit}),
            branch + "\n");
  EXPECT_FALSE(std::filesystem::exists(root() / "hello.txt"));
  EXPECT_EQ(read_text(info.worktree_path / "hello.txt"), "hello from the scripted agent\n");
  EXPECT_EQ(git(info.worktree_path, {"status", "--porcelain"}), "");

  // Token usage and cost: three answers of 120 input / 30 output tokens.
  auto store = state::StateStore::open(root());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto usage = store.value()->token_usage(story);
  ASSERT_TRUE(usage.ok()) << usage.error().message;
  ASSERT_EQ(usage.value().size(), 1u);
  EXPECT_EQ(usage.value()[0].run_id, info.run_id);
  EXPECT_EQ(usage.value()[0].input_tokens, 360);
  EXPECT_EQ(usage.value()[0].output_tokens, 90);
  EXPECT_NEAR(usage.value()[0].cost_usd, 3 * kCostPerAnswer, 1e-9);
  EXPECT_EQ(usage.value()[0].session_id, session);
  EXPECT_EQ(usage.value()[0].model, kModel);
  const std::string jsonl = read_text(root() / ".storkit/token_usage.jsonl");
  EXPECT_EQ(std::count(jsonl.begin(), jsonl.end(), '\n'), 1) << jsonl;
  EXPECT_THAT(jsonl, HasSubstr("\"story_id\":\"" + story + "\""));
  EXPECT_THAT(jsonl, HasSubstr("\"session_id\":\"" + session + "\""));

  // The raw stream-json is in the run's log, named after the session.
  const auto log =
      root() / ".storkit/logs" / story / (std::string(kAgent) + "-" + session + ".log");
  ASSERT_TRUE(std::filesystem::exists(log)) << log;
  EXPECT_THAT(read_text(log), HasSubstr("\"type\":\"result\""));

  // The events tell the whole run, numbered from 1 without gaps.
  auto all = events(story);
  ASSERT_FALSE(all.empty());
  for (size_t i = 0; i < all.size(); ++i)
    EXPECT_EQ(all[i].seq, static_cast<std::int64_t>(i + 1));
  std::set<std::string> types;
  for (const auto& event : all)
    types.insert(event.type);
  for (const char* type :
       {"status", "session", "assistant_text", "tool_use", "tool_result", "result", "done"})
    EXPECT_TRUE(types.contains(type)) << "no " << type << " event\n" << diagnostics(story);
  auto sessions = of_type(all, "session");
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(text_of(payload(sessions[0]), "session_id"), session);
  EXPECT_EQ(text_of(payload(sessions[0]), "model"), kModel);
  EXPECT_THAT(texts_of(all, "tool_use", "name"), ElementsAre("Write", "Bash"));
  auto results = of_type(all, "tool_result");
  ASSERT_EQ(results.size(), 2u);
  for (const auto& result : results)
    EXPECT_FALSE(payload(result).at("is_error").as_bool()) << result.payload;
  EXPECT_THAT(texts_of(all, "assistant_text", "text"),
              ElementsAre("I'll create the file.", "Created hello.txt and committed it."));
  auto final_results = of_type(all, "result");
  ASSERT_EQ(final_results.size(), 1u);
  const auto result = payload(final_results[0]);
  EXPECT_EQ(text_of(result, "subtype"), "success");
  EXPECT_NEAR(result.at("total_cost_usd").to_number<double>(), 3 * kCostPerAnswer, 1e-9);
  EXPECT_EQ(all.back().type, "done");
  EXPECT_EQ(text_of(payload(all.back()), "status"), "completed");
  EXPECT_EQ(text_of(payload(all.back()), "session_id"), session);

  // The CLI's requests: one per turn, all in the session the pool recorded.
  auto requests = main_requests(requests_log());
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& request : requests)
    EXPECT_EQ(session_header(request), session);
}

// (b) The same story and agent again: the CLI gets --resume and sends the earlier turns.
TEST_F(ClaudePool, SecondStartResumesTheSessionWithItsEarlierTurns) {
  open_project({"write_commit_then_resume.json"});
  const std::string story = "2_story_resume";
  add_story(story);
  ASSERT_TRUE(start(story).ok());
  auto first = wait(story, 20s);
  ASSERT_EQ(first.status, AgentStatus::Completed) << first.exit_reason << "\n"
                                                  << diagnostics(story);
  ASSERT_TRUE(first.session_id.has_value());
  const std::string session = *first.session_id;
  std::vector<std::string> first_tool_ids;
  for (const auto& event : of_type(events(story), "tool_use"))
    first_tool_ids.push_back(text_of(payload(event), "id"));
  ASSERT_EQ(first_tool_ids.size(), 2u);
  ASSERT_EQ(main_requests(requests_log()).size(), 3u) << "the first run played steps 0-2";

  auto restarted = start(story);
  ASSERT_TRUE(restarted.ok()) << restarted.error().message;
  EXPECT_NE(restarted.value().run_id, first.run_id);
  auto second = wait(story, 20s);
  ASSERT_EQ(second.status, AgentStatus::Completed) << second.exit_reason << "\n"
                                                   << diagnostics(story);
  EXPECT_EQ(second.run_id, restarted.value().run_id);
  EXPECT_EQ(second.session_id, session);

  auto resumed_events = events(story);
  EXPECT_THAT(texts_of(resumed_events, "session", "session_id"), ElementsAre(session));
  EXPECT_THAT(texts_of(resumed_events, "assistant_text", "text"),
              ElementsAre("Earlier I created hello.txt and committed it."));

  // The second run's first request carries the first run's conversation.
  auto requests = main_requests(requests_log());
  ASSERT_EQ(requests.size(), 4u);
  const auto& resumed = requests[3];
  EXPECT_EQ(step_of(resumed), 3);
  EXPECT_EQ(session_header(resumed), session);
  const auto& messages = resumed.at("body").at("messages").as_array();
  const auto& first_messages = requests[0].at("body").at("messages").as_array();
  EXPECT_GT(messages.size(), first_messages.size() + 4) << "the earlier turns are sent again";
  const std::string sent = json::serialize(messages);
  for (const auto& id : first_tool_ids)
    EXPECT_THAT(sent, HasSubstr(id));
  EXPECT_THAT(sent, HasSubstr("Created hello.txt and committed it."));

  // Each run is charged its own share; the CLI's total covers the whole session.
  auto store = state::StateStore::open(root());
  ASSERT_TRUE(store.ok());
  auto usage = store.value()->token_usage(story);
  ASSERT_TRUE(usage.ok());
  ASSERT_EQ(usage.value().size(), 2u);
  EXPECT_NEAR(usage.value()[0].cost_usd, 3 * kCostPerAnswer, 1e-9);
  EXPECT_EQ(usage.value()[1].run_id, second.run_id);
  EXPECT_EQ(usage.value()[1].input_tokens, 120);
  EXPECT_NEAR(usage.value()[1].cost_usd, kCostPerAnswer, 1e-9);
  auto result = of_type(resumed_events, "result");
  ASSERT_EQ(result.size(), 1u);
  EXPECT_NEAR(payload(result[0]).at("total_cost_usd").to_number<double>(), 4 * kCostPerAnswer,
              1e-9);
}

// (c) A 429 with a reset two seconds away, to a gateway client: the CLI reports a rejected
// rate_limit_event and ends; the pool blocks the run and resumes the session after the reset.
TEST_F(ClaudePool, HardRateLimitBlocksTheRunAndItResumesByItselfAfterTheReset) {
  open_project({"rate_limit_rejected_then_reset.json", ClaudeAuth::Gateway});
  const std::string story = "3_story_limited";
  add_story(story);
  auto started = start(story);
  ASSERT_TRUE(started.ok()) << started.error().message;
  const std::int64_t first_run = started.value().run_id;

  const auto blocked = wait_blocked(story, 15s);
  ASSERT_TRUE(blocked.has_value()) << "the run ended instead of blocking\n" << diagnostics(story);
  EXPECT_EQ(blocked->run_id, first_run);
  ASSERT_TRUE(blocked->blocked_until_ms.has_value());
  ASSERT_TRUE(blocked->session_id.has_value());
  EXPECT_FALSE(blocked->pid.has_value()) << "a blocked run has no process";

  // Blocked until the reset the CLI reported (about 2 s after the request), plus the pool's
  // default margin of 2 s; later only if the reset had already passed when the run ended.
  auto limits = of_type(stored_events(root(), first_run), "rate_limit");
  ASSERT_EQ(limits.size(), 1u);
  const auto limit = payload(limits[0]);
  EXPECT_EQ(text_of(limit, "level"), "rejected");
  EXPECT_EQ(text_of(limit, "limit_type"), "five_hour");
  ASSERT_TRUE(limit.contains("resets_at"));
  const std::int64_t reset_ms = limit.at("resets_at").to_number<std::int64_t>() * 1000;
  EXPECT_GT(reset_ms, started.value().started_at_ms);
  EXPECT_LT(reset_ms, started.value().started_at_ms + 10000);
  EXPECT_GE(*blocked->blocked_until_ms, reset_ms + 2000);
  ASSERT_LE(*blocked->blocked_until_ms, reset_ms + 2000 + 3000)
      << "blocked for " << (*blocked->blocked_until_ms - reset_ms) / 1000
      << " s past the reset the CLI reported\n"
      << diagnostics(story);

  // Then a new run of the same session completes with the scenario's next answer.
  auto resumed = wait(story, 20s);
  ASSERT_EQ(resumed.status, AgentStatus::Completed) << resumed.exit_reason << "\n"
                                                    << diagnostics(story);
  EXPECT_NE(resumed.run_id, first_run);
  EXPECT_GE(resumed.started_at_ms, *blocked->blocked_until_ms);
  EXPECT_EQ(resumed.session_id, blocked->session_id);
  auto resumed_events = events(story);
  EXPECT_THAT(texts_of(resumed_events, "session", "session_id"), ElementsAre(*blocked->session_id));
  EXPECT_THAT(texts_of(resumed_events, "assistant_text", "text"),
              ElementsAre("The limit has reset; carrying on."));
  auto store = state::StateStore::open(root());
  ASSERT_TRUE(store.ok());
  auto record = store.value()->run(resumed.run_id);
  ASSERT_TRUE(record.ok() && record.value());
  EXPECT_EQ(record.value()->resumes_run, first_run);

  std::vector<std::int64_t> steps;
  for (const auto& request : main_requests(requests_log()))
    steps.push_back(step_of(request));
  EXPECT_THAT(steps, ElementsAre(0, 1));
}

// (c) An allowed_warning answer: the run goes on, Throttled, until its tool call (which waits
// for a file the test writes) returns and the run completes.
TEST_F(ClaudePool, WarningRateLimitMarksTheRunThrottledWhileItRuns) {
  open_project({"rate_limit_warning_held.json", ClaudeAuth::Gateway});
  const std::string story = "4_story_warned";
  add_story(story);
  auto started = start(story);
  ASSERT_TRUE(started.ok()) << started.error().message;

  std::optional<agents::AgentInfo> throttled;
  ASSERT_TRUE(eventually(
      [&] {
        auto info = listed(story);
        if (info && info->status == AgentStatus::Throttled) throttled = info;
        return throttled.has_value() || (info && is_finished(info->status));
      },
      15s));
  ASSERT_TRUE(throttled.has_value()) << "never throttled\n" << diagnostics(story);
  EXPECT_TRUE(throttled->pid.has_value()) << "throttled runs keep running";
  auto limits = of_type(events(story), "rate_limit");
  ASSERT_FALSE(limits.empty());
  EXPECT_EQ(text_of(payload(limits[0]), "level"), "warning");
  EXPECT_EQ(text_of(payload(limits[0]), "limit_type"), "five_hour");

  write_text(throttled->worktree_path / ".go", "");
  auto info = wait(story, 20s);
  ASSERT_EQ(info.status, AgentStatus::Completed) << info.exit_reason << "\n" << diagnostics(story);
  EXPECT_EQ(info.run_id, started.value().run_id) << "a warning never restarts the run";
  EXPECT_THAT(texts_of(events(story), "status", "status"),
              ElementsAre("pending", "running", "throttled", "completed"));
}

// (d) The API accepts the request and never answers: the CLI prints its init line and then
// nothing, so the pool's inactivity timeout (5 s here: with stream-json input the CLI takes
// longer to print its init line under a loaded sanitizer build) kills it with its group.
TEST_F(ClaudePool, StalledApiGetsTheSilentAgentKilledAfterItsInactivityTimeout) {
  open_project({"stall.json", ClaudeAuth::ApiKey, /*inactivity_timeout_secs=*/5});
  const std::string story = "5_story_stalled";
  add_story(story);
  ASSERT_TRUE(start(story).ok());
  std::optional<int> pid;
  ASSERT_TRUE(eventually(
      [&] {
        auto info = listed(story);
        if (info && info->pid) pid = info->pid;
        return pid.has_value() || (info && is_finished(info->status));
      },
      10s));
  ASSERT_TRUE(pid.has_value()) << diagnostics(story);

  auto info = wait(story, 30s);
  ASSERT_EQ(info.status, AgentStatus::Failed) << info.exit_reason << "\n" << diagnostics(story);
  EXPECT_THAT(info.exit_reason, HasSubstr("inactive"));
  EXPECT_FALSE(info.pid.has_value());
  EXPECT_TRUE(gone(*pid)) << "the CLI (pid " << *pid << ") still runs";
  EXPECT_TRUE(group_gone(*pid)) << "process group " << *pid << " still has members";

  auto all = events(story);
  EXPECT_THAT(texts_of(all, "error", "message"), Contains(HasSubstr("inactive")));
  auto sessions = of_type(all, "session");
  ASSERT_EQ(sessions.size(), 1u) << "the CLI started and reported its session";
  ASSERT_TRUE(info.ended_at_ms.has_value());
  EXPECT_GE(*info.ended_at_ms - sessions[0].time_ms, 4900) << "killed only after 5 s of silence";
  // The silence was the API's: one request, the stalled step, never answered.
  auto requests = main_requests(requests_log());
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(step_of(requests[0]), 0);
}

}  // namespace
}  // namespace stork::testing
