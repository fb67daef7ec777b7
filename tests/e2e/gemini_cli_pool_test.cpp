// The agent pool with the real Gemini CLI (gemini-cli runtime) against the scripted Gemini API:
// stop in the middle of a run (the CLI and its process group gone), a rate limit the CLI waits
// out itself (Throttled, then running again), a hard rate limit (Blocked until the reset the
// API named, then the same session resumed by itself), and a second start that resumes the
// session with its earlier turns. Token counts are the scripted server's: 100 in, 20 out.
#include <cerrno>
#include <csignal>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gemini_cli_pool_fixture.hpp"
#include "state/run_store.hpp"
#include "support/process_probe.hpp"

namespace stork::testing {
namespace {

namespace json = boost::json;
using agents::AgentEvent;
using agents::AgentStatus;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class GeminiCliPool : public GeminiCliPoolTest {};

json::object payload(const AgentEvent& event) {
  return json::parse(event.payload).as_object();
}

std::string text_of(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::vector<std::string> texts_of(const std::vector<AgentEvent>& events, std::string_view type,
                                  std::string_view key) {
  std::vector<std::string> texts;
  for (const auto& event : events) {
    if (event.type == type) texts.push_back(text_of(payload(event), key));
  }
  return texts;
}

std::vector<AgentEvent> stored_events(const std::filesystem::path& root, std::int64_t run_id) {
  std::vector<AgentEvent> events;
  auto store = state::StateStore::open(root);
  EXPECT_TRUE(store.ok());
  if (!store.ok()) return events;
  auto records = store.value()->events_after(run_id, 0);
  EXPECT_TRUE(records.ok());
  if (!records.ok()) return events;
  for (auto& record : records.value())
    events.push_back(
        {record.run_id, record.seq, record.time_ms, "", "", record.type, record.payload});
  return events;
}

bool group_gone(pid_t pgid) {
  return ::kill(-pgid, 0) != 0 && errno == ESRCH;
}

// The request log's bodies, in order.
std::vector<json::object> request_bodies(const std::vector<std::string>& lines) {
  std::vector<json::object> bodies;
  for (const auto& line : lines) {
    auto request = json::parse(line).as_object();
    if (request.at("body").is_object()) bodies.push_back(request.at("body").as_object());
  }
  return bodies;
}

TEST_F(GeminiCliPool, StopInTheMiddleOfARunEndsTheCliAndItsProcessGroup) {
  // The model starts answering and then says nothing more: the CLI waits on its stream.
  open_gemini_project(R"([{"stall": true}])");
  const std::string story = "1_story_stopped";
  add_story(story);
  auto started = start(story);
  ASSERT_TRUE(started.ok()) << started.error().message;
  std::optional<pid_t> pid;
  ASSERT_TRUE(eventually(
      [&] {
        auto info = listed(story);
        if (info && info->pid) pid = info->pid;
        return pid.has_value() && !requests_log().empty();
      },
      30s))
      << diagnostics(story);

  auto stopped = run(pool_->stop_agent(story, kAgent));
  ASSERT_TRUE(stopped.ok()) << stopped.error().message;
  auto info = wait(story, 15s);
  EXPECT_EQ(info.status, AgentStatus::Stopped) << info.exit_reason << "\n" << diagnostics(story);
  EXPECT_FALSE(info.pid.has_value());
  EXPECT_TRUE(process_gone(*pid));
  EXPECT_TRUE(eventually([&] { return group_gone(*pid); }, 5s))
      << "something of the CLI's process group outlived the stop";
}

TEST_F(GeminiCliPool, RateLimitTheCliWaitsOutMarksTheRunThrottledUntilTheModelAnswers) {
  // A 429 with a short retry delay: the CLI backs off and tries again by itself.
  open_gemini_project(R"([
    {"status": 429, "body": {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED",
      "message": "Resource has been exhausted (e.g. check quota). Please retry in 1s."}}},
    {"text": "Answered after the wait."}])");
  const std::string story = "2_story_throttled";
  add_story(story);
  ASSERT_TRUE(start(story).ok());
  auto info = wait(story, 60s);
  ASSERT_EQ(info.status, AgentStatus::Completed) << info.exit_reason << "\n" << diagnostics(story);
  const auto stored = stored_events(root(), info.run_id);
  EXPECT_THAT(texts_of(stored, "rate_limit", "level"), ElementsAre("warning", "allowed"))
      << diagnostics(story);
  EXPECT_THAT(texts_of(stored, "assistant_text", "text"), ElementsAre("Answered after the wait."));
  EXPECT_EQ(requests_log().size(), 2u);
}

TEST_F(GeminiCliPool, HardRateLimitBlocksTheRunAndItResumesTheSessionAfterTheReset) {
  // "limit: 0" makes the CLI give up at once (a quota, not a burst); the API names the reset.
  // The first answer starts the work (a file written), the second request hits the quota.
  open_gemini_project(R"([
    {"text": "Starting.", "tool_calls": [{"name": "write_file",
      "arguments": {"file_path": "started.txt", "content": "begun\n"}}]},
    {"status": 429, "body": {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED",
      "message": "Quota exceeded for metric: generate_content_requests, limit: 0. Please retry in 2s."}}},
    {"text": "The limit has reset; carrying on."}])");
  const std::string story = "3_story_limited";
  add_story(story);
  auto started = start(story);
  ASSERT_TRUE(started.ok()) << started.error().message;
  const std::int64_t first_run = started.value().run_id;

  const auto blocked = wait_blocked(story, 30s);
  ASSERT_TRUE(blocked.has_value()) << "the run ended instead of blocking\n" << diagnostics(story);
  EXPECT_EQ(blocked->run_id, first_run);
  ASSERT_TRUE(blocked->blocked_until_ms.has_value());
  ASSERT_TRUE(blocked->session_id.has_value());
  EXPECT_FALSE(blocked->pid.has_value()) << "a blocked run has no process";
  const auto limits = stored_events(root(), first_run);
  EXPECT_THAT(texts_of(limits, "rate_limit", "level"), ElementsAre("rejected"));
  // Until the reset the API named (2 s after the answer) plus the pool's 2 s margin.
  EXPECT_LE(*blocked->blocked_until_ms, started.value().started_at_ms + 30000);

  auto resumed = wait(story, 60s);
  ASSERT_EQ(resumed.status, AgentStatus::Completed) << resumed.exit_reason << "\n"
                                                    << diagnostics(story);
  EXPECT_NE(resumed.run_id, first_run);
  EXPECT_GE(resumed.started_at_ms, *blocked->blocked_until_ms);
  EXPECT_EQ(resumed.session_id, blocked->session_id);
  EXPECT_THAT(texts_of(events(story), "assistant_text", "text"),
              ElementsAre("The limit has reset; carrying on."));
  // The resumed run's request carries the first run's turn (its write_file call).
  const auto bodies = request_bodies(requests_log());
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_THAT(json::serialize(bodies[2].at("contents")), HasSubstr("started.txt"));
  auto store = state::StateStore::open(root());
  ASSERT_TRUE(store.ok());
  auto record = store.value()->run(resumed.run_id);
  ASSERT_TRUE(record.ok() && record.value());
  EXPECT_EQ(record.value()->resumes_run, first_run);
}

TEST_F(GeminiCliPool, SecondStartResumesTheSessionWithItsEarlierTurns) {
  open_gemini_project(R"([{"text": "First answer, from the first run."},
                          {"text": "Second answer, with the first still known."}])");
  const std::string story = "4_story_resumed";
  add_story(story);
  ASSERT_TRUE(start(story).ok());
  auto first = wait(story, 60s);
  ASSERT_EQ(first.status, AgentStatus::Completed) << first.exit_reason << "\n"
                                                  << diagnostics(story);
  ASSERT_TRUE(first.session_id.has_value());

  auto restarted = start(story);
  ASSERT_TRUE(restarted.ok()) << restarted.error().message;
  auto second = wait(story, 60s);
  ASSERT_EQ(second.status, AgentStatus::Completed) << second.exit_reason << "\n"
                                                   << diagnostics(story);
  EXPECT_NE(second.run_id, first.run_id);
  EXPECT_EQ(second.session_id, first.session_id);
  auto resumed_events = events(story);
  EXPECT_THAT(texts_of(resumed_events, "session", "session_id"), ElementsAre(*first.session_id));
  EXPECT_THAT(texts_of(resumed_events, "assistant_text", "text"),
              ElementsAre("Second answer, with the first still known."));

  // The second run's request carries the first run's conversation.
  const auto bodies = request_bodies(requests_log());
  ASSERT_EQ(bodies.size(), 2u);
  const std::string sent = json::serialize(bodies[1].at("contents"));
  EXPECT_THAT(sent, HasSubstr("First answer, from the first run."));
  EXPECT_GT(bodies[1].at("contents").as_array().size(), bodies[0].at("contents").as_array().size());

  // Each run's tokens are recorded once, at the scripted server's counts.
  auto store = state::StateStore::open(root());
  ASSERT_TRUE(store.ok());
  auto usage = store.value()->token_usage(story);
  ASSERT_TRUE(usage.ok());
  ASSERT_EQ(usage.value().size(), 2u);
  EXPECT_EQ(usage.value()[1].run_id, second.run_id);
  EXPECT_EQ(usage.value()[1].input_tokens, 100);
  EXPECT_EQ(usage.value()[1].output_tokens, 20);
  EXPECT_GT(usage.value()[1].cost_usd, 0) << "gemini-2.5-flash has a built-in price";
}

}  // namespace
}  // namespace stork::testing
