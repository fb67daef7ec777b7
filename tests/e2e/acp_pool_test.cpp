// The `acp` runtime in the agent pool with a real ACP agent: @zed-industries/claude-code-acp
// (STORK_CLAUDE_ACP, pinned in tests/e2e/package.json), which runs Claude Code through the Agent
// SDK against tests/e2e/scripted_anthropic.py as the claude-code tests do. Each test pins one
// duty of a run: stop mid-turn leaves no process, a 429 blocks the run, and a second run
// continues the first one's session with session/load.
#include <cerrno>
#include <csignal>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "claude_pool_fixture.hpp"
#include "support/process_probe.hpp"

namespace stork::testing {
namespace {

namespace json = boost::json;
using agents::AgentEvent;
using agents::AgentStatus;
using ::testing::Contains;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class AcpPool : public ClaudePoolTest {
 protected:
  void SetUp() override {
    ClaudePoolTest::SetUp();
    ASSERT_EQ(::access(STORK_CLAUDE_ACP, X_OK), 0)
        << "claude-code-acp is missing at " << STORK_CLAUDE_ACP << ": run scripts/setup";
  }
  void open_acp(const std::string& scenario, int inactivity_timeout_secs = 60) {
    ClaudeProject project;
    project.scenario = scenario;
    project.scenario_dir = "acp";
    project.inactivity_timeout_secs = inactivity_timeout_secs;
    project.agent_lines = "runtime = \"acp\"\ncommand = '" STORK_CLAUDE_ACP "'\n";
    open_project(project);
  }
  // The scripted server's requests of the agent's own conversation.
  std::vector<json::object> main_requests() const {
    std::vector<json::object> found;
    for (const auto& line : requests_log()) {
      auto request = json::parse(line).as_object();
      if (request.at("kind") == "main") found.push_back(std::move(request));
    }
    return found;
  }
  std::optional<pid_t> wait_for_pid(const std::string& story) {
    std::optional<pid_t> pid;
    eventually(
        [&] {
          auto info = listed(story);
          if (info && info->pid) pid = info->pid;
          return pid.has_value();
        },
        20s);
    return pid;
  }
};

std::vector<std::string> texts_of(const std::vector<AgentEvent>& events, std::string_view type,
                                  std::string_view key) {
  std::vector<std::string> texts;
  for (const auto& event : events) {
    if (event.type != type) continue;
    const auto payload = json::parse(event.payload).as_object();
    if (const auto* value = payload.if_contains(key); value && value->is_string())
      texts.emplace_back(value->as_string());
  }
  return texts;
}

bool group_gone(pid_t pgid) {
  return ::kill(-pgid, 0) != 0 && errno == ESRCH;
}

TEST_F(AcpPool, StopDuringATurnCancelsItAndLeavesNoProcess) {
  open_acp("claude_acp_stall.json");
  const std::string story = "1_story_stop";
  add_story(story);
  ASSERT_TRUE(start(story).ok());
  auto pid = wait_for_pid(story);
  ASSERT_TRUE(pid.has_value()) << diagnostics(story);
  // The model request is in flight (the server holds it): the turn is running.
  ASSERT_TRUE(eventually([&] { return main_requests().size() >= 2; }, 60s)) << diagnostics(story);

  auto stopped = run(pool_->stop_agent(story, kAgent));
  ASSERT_TRUE(stopped.ok()) << stopped.error().message;
  auto info = wait(story, 20s);
  EXPECT_EQ(info.status, AgentStatus::Stopped) << info.exit_reason << "\n" << diagnostics(story);
  EXPECT_TRUE(process_gone(*pid)) << "claude-code-acp (pid " << *pid << ") still runs";
  EXPECT_TRUE(group_gone(*pid)) << "process group " << *pid << " still has members";
  EXPECT_THAT(texts_of(events(story), "assistant_text", "text"), Contains("Working on it."));
}

TEST_F(AcpPool, ModelAnswering429BlocksTheRunAsRateLimited) {
  open_acp("claude_acp_rate_limit.json");
  const std::string story = "2_story_limited";
  add_story(story);
  ASSERT_TRUE(start(story).ok());
  std::optional<agents::AgentInfo> blocked;
  ASSERT_TRUE(eventually(
      [&] {
        blocked = listed(story);
        return blocked && blocked->status == AgentStatus::Blocked;
      },
      60s))
      << (blocked ? std::string(agents::to_string(blocked->status)) : "not listed") << "\n"
      << diagnostics(story);
  EXPECT_TRUE(blocked->blocked_until_ms.has_value());
  EXPECT_THAT(texts_of(events(story), "error", "message"), Contains(HasSubstr("rate limited")));
}

TEST_F(AcpPool, SecondRunLoadsTheFirstRunsSession) {
  open_acp("claude_acp_resume.json");
  const std::string story = "3_story_resume";
  add_story(story);
  ASSERT_TRUE(start(story).ok());
  auto first = wait(story, 60s);
  ASSERT_EQ(first.status, AgentStatus::Completed) << first.exit_reason << "\n"
                                                  << diagnostics(story);
  ASSERT_TRUE(first.session_id.has_value()) << diagnostics(story);
  EXPECT_THAT(texts_of(events(story), "assistant_text", "text"),
              Contains("First run: I looked around."));

  ASSERT_TRUE(start(story).ok());
  auto second = wait(story, 60s);
  ASSERT_EQ(second.status, AgentStatus::Completed) << second.exit_reason << "\n"
                                                   << diagnostics(story);
  EXPECT_EQ(second.session_id, first.session_id);
  auto resumed = events(story);
  EXPECT_THAT(texts_of(resumed, "session", "session_id"), Contains(*first.session_id));
  EXPECT_THAT(texts_of(resumed, "assistant_text", "text"), Contains("Second run: I remember."));
  // session/load replayed the history to stork (not shown as this run's events), and the
  // model was sent the first run's turn again.
  EXPECT_THAT(texts_of(resumed, "assistant_text", "text"),
              ::testing::Not(Contains("First run: I looked around.")));
  auto requests = main_requests();
  ASSERT_GE(requests.size(), 2u);
  EXPECT_THAT(json::serialize(requests.back().at("body")),
              HasSubstr("First run: I looked around."));
}

}  // namespace
}  // namespace stork::testing
