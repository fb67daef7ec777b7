// Messages to a running claude-code agent under `stork serve`, with the real CLI and the
// scripted model: `stork agent say` while the agent's Bash tool runs is written to the CLI's
// stream-json stdin, and the model's next request carries it; the run still ends by itself
// (stdin closed at the result). Bad input through REST and the CLI gets clear errors. Then the
// recent events: a message and the item's block and unblock while the agent is idle open its
// next (resumed) turn as a <recent-events> block, without the original prompt, exactly once.
#include <thread>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../integration/http_probe.hpp"
#include "../integration/serve_process.hpp"
#include "scripted_server.hpp"
#include "support/eventually.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

// The last message of each main request the scripted model received, as JSON text.
std::vector<std::string> last_messages(const std::vector<std::string>& request_lines) {
  std::vector<std::string> found;
  for (const auto& line : request_lines) {
    auto request = json::parse(line).as_object();
    if (request.at("kind") != "main") continue;
    const auto* body = request.at("body").if_object();
    if (body == nullptr || !body->contains("messages")) continue;
    const auto& messages = body->at("messages").as_array();
    if (!messages.empty()) found.push_back(json::serialize(messages.back()));
  }
  return found;
}

using testing::eventually;

class ClaudeMessageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(STORK_CLAUDE_CLI))
        << STORK_CLAUDE_CLI << " is missing: run scripts/setup";
    testing::init_repo(root());
    testing::write_project_files(root(), "#!/bin/sh\nexit 1\n");
    testing::write_text(root() / ".storkit/project.toml",
                        "max_retries = 0\n"
                        "[[agent]]\nname = \"coder-1\"\nstage = \"coder\"\n"
                        "runtime = \"claude-code\"\ncommand = '" STORK_CLAUDE_CLI
                        "'\nargs = [\"--dangerously-skip-permissions\"]\n"
                        "model = \"claude-sonnet-4-5\"\ninactivity_timeout_secs = 60\n");
    testing::git(root(), {"add", "-A"});
    testing::git(root(), {"commit", "-qm", "project"});
    testing::write_text(root() / ".storkit/work/2_current/1_story_talk.md",
                        "---\nname: Talk\n---\n\n# Story 1: Talk\n");
  }

  std::filesystem::path root() const { return dir_.path(); }
  std::filesystem::path worktree() const { return root() / ".storkit/worktrees/1_story_talk"; }

  testing::TempDir dir_, home_, server_dir_, logs_;
};

TEST_F(ClaudeMessageTest, SayWhileTheTurnRunsReachesTheModelsNextRequest) {
  testing::ScriptedServer model(
      STORK_SCRIPTED_ANTHROPIC,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "claude/scenarios/message_live.json",
      server_dir_.path());
  ASSERT_FALSE(model.failed()) << model.error();
  testing::ServeProcess serve({"serve", "--port", "0"}, root(), logs_.path(),
                              testing::claude_cli_env(model, home_.path()));
  ASSERT_TRUE(serve.wait_listening()) << serve.output();
  const auto port = std::to_string(serve.port());
  auto requests = [&] { return model.requests_text(); };

  // The server assigns the item in 2_current to coder-1 by itself.
  std::int64_t run_id = 0;
  ASSERT_TRUE(eventually(
      [&] {
        auto runs = json::parse(
            testing::http_call(serve.port(), "GET", "/api/runs?story=1_story_talk").body);
        const auto& list = runs.at("runs").as_array();
        if (!list.empty()) run_id = list.at(0).at("id").as_int64();
        return run_id != 0;
      },
      std::chrono::seconds(30)));
  const std::string run_path = "/api/runs/" + std::to_string(run_id);
  auto run_events = [&] {
    return testing::http_call(serve.port(), "GET", run_path + "/events?limit=1000").body;
  };
  // The model's Bash call is running (it waits for go.txt): the turn is in progress.
  ASSERT_TRUE(
      eventually([&] { return run_events().find("Wait for the test") != std::string::npos; },
                 std::chrono::seconds(60)))
      << serve.output() << requests();

  auto said = testing::run_stork(
      {"agent", "say", "1", "Please also update the changelog, ZEBRA-42", "--port", port}, root());
  ASSERT_EQ(said.exit_code, 0) << said.err;
  EXPECT_THAT(said.out, HasSubstr("delivered to the live session"));
  testing::write_text(worktree() / "go.txt", "go\n");

  // The model's next request carries the message; the run then ends by itself.
  ASSERT_TRUE(eventually([&] { return requests().find("ZEBRA-42") != std::string::npos; },
                         std::chrono::seconds(60)))
      << serve.output() << requests();
  ASSERT_TRUE(eventually([&] { return run_events().find(R"("type":"done")") != std::string::npos; },
                         std::chrono::seconds(60)))
      << serve.output();
  const auto events = run_events();
  EXPECT_THAT(events, HasSubstr(R"("type":"message")"));
  EXPECT_THAT(events, HasSubstr(R"("delivery":"live")"));
  EXPECT_THAT(events, HasSubstr(R"("status":"completed")"));

  // The run is over: REST refuses by run id; unknown runs and empty texts are refused too.
  auto over = testing::http_call(serve.port(), "POST", run_path + "/messages", {},
                                 R"({"text":"too late"})");
  EXPECT_EQ(over.status, 409) << over.body;
  EXPECT_THAT(over.body, HasSubstr("is over"));
  auto unknown = testing::http_call(serve.port(), "POST", "/api/runs/99999/messages", {},
                                    R"({"text":"anyone?"})");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_THAT(unknown.body, HasSubstr("no run 99999"));
  auto empty =
      testing::http_call(serve.port(), "POST", run_path + "/messages", {}, R"({"text":"  "})");
  EXPECT_EQ(empty.status, 400) << empty.body;
  EXPECT_THAT(empty.body, HasSubstr("text"));
  auto missing = testing::http_call(serve.port(), "POST", run_path + "/messages", {}, R"({})");
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_THAT(missing.body, HasSubstr("text"));

  // Said to the idle agent by name (its item blocked: the gate fails, max_retries = 0): kept
  // for its next start, and the CLI says so.
  auto queued = testing::run_stork(
      {"agent", "say", "1", "--agent", "coder-1", "next time: QUOKKA", "--port", port}, root());
  ASSERT_EQ(queued.exit_code, 0) << queued.err;
  EXPECT_THAT(queued.out, HasSubstr("queued for coder-1"));

  // Unblocked: the pipeline starts coder-1 again, resuming its session. Its new turn is the
  // <recent-events> block (the block, the unblock, the message) and no original prompt.
  auto opening_turns = [&] {
    std::vector<std::string> turns;
    for (auto& last : last_messages(model.request_lines()))
      if (last.find("<recent-events>") != std::string::npos) turns.push_back(last);
    return turns;
  };
  auto unblocked = testing::run_stork({"story", "unblock", "1"}, root());
  ASSERT_EQ(unblocked.exit_code, 0) << unblocked.err;
  ASSERT_TRUE(eventually([&] { return !opening_turns().empty(); }, std::chrono::seconds(60)))
      << serve.output() << requests();
  const std::string first = opening_turns().front();
  EXPECT_THAT(first, HasSubstr("QUOKKA"));
  EXPECT_THAT(first, HasSubstr("the item was blocked"));
  EXPECT_THAT(first, HasSubstr("the item was unblocked"));
  EXPECT_THAT(first, Not(HasSubstr("Implement what the item asks")));

  // It blocks again; the next start's block holds only what happened since: drained once.
  ASSERT_TRUE(eventually(
      [&] {
        auto item = testing::run_stork({"story", "show", "1", "--json"}, root());
        return item.out.find(R"("blocked":true)") != std::string::npos;
      },
      std::chrono::seconds(60)))
      << serve.output();
  auto again = testing::run_stork({"story", "unblock", "1"}, root());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  ASSERT_TRUE(eventually([&] { return opening_turns().size() >= 2; }, std::chrono::seconds(60)))
      << serve.output() << requests();
  EXPECT_THAT(opening_turns().at(1), Not(HasSubstr("QUOKKA")));
  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait_exit(std::chrono::seconds(10)), 0) << serve.output();
}

// A retry resumes the agent's session with the gate's output as its whole new turn: the
// scripted model's request for the retried run ends with the gate's failure (its marker) and
// not the original prompt, the agent fixes what the gate named, and the item goes on.
TEST_F(ClaudeMessageTest, RetriedRunsResumedTurnCarriesTheGateOutputNotThePrompt) {
  testing::write_project_files(root(),
                               "#!/bin/sh\n[ -f fixed.txt ] && exit 0\n"
                               "echo 'WOMBAT-GATE: fixed.txt is missing'\nexit 1\n");
  testing::write_text(root() / ".storkit/project.toml",
                      "max_retries = 1\n"
                      "[[agent]]\nname = \"coder-1\"\nstage = \"coder\"\n"
                      "runtime = \"claude-code\"\ncommand = '" STORK_CLAUDE_CLI
                      "'\nargs = [\"--dangerously-skip-permissions\"]\n"
                      "model = \"claude-sonnet-4-5\"\ninactivity_timeout_secs = 60\n");
  testing::git(root(), {"add", "-A"});
  testing::git(root(), {"commit", "-qm", "a gate that wants fixed.txt, one retry"});
  testing::ScriptedServer model(
      STORK_SCRIPTED_ANTHROPIC,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "claude/scenarios/gate_retry_resume.json",
      server_dir_.path());
  ASSERT_FALSE(model.failed()) << model.error();
  testing::ServeProcess serve({"serve", "--port", "0"}, root(), logs_.path(),
                              testing::claude_cli_env(model, home_.path()));
  ASSERT_TRUE(serve.wait_listening()) << serve.output();
  auto requests = [&] { return model.requests_text(); };
  auto retry_turns = [&] {
    std::vector<std::string> turns;
    for (auto& last : last_messages(model.request_lines()))
      if (last.find("WOMBAT-GATE") != std::string::npos) turns.push_back(last);
    return turns;
  };
  ASSERT_TRUE(eventually([&] { return !retry_turns().empty(); }, std::chrono::seconds(90)))
      << serve.output() << requests();
  const std::string turn = retry_turns().front();
  EXPECT_THAT(turn, Not(HasSubstr("Implement what the item asks")));
  EXPECT_THAT(turn, Not(HasSubstr("# Story 1: Talk")));
  // The retry continued the first run's session: the conversation before the new turn holds
  // the first run's work, so the prompt need not be sent again.
  EXPECT_THAT(requests(), HasSubstr("Added greeting.txt and committed it."));
  // With fixed.txt committed the gate passes and the item leaves the coder stage.
  ASSERT_TRUE(eventually(
      [&] {
        auto item = testing::run_stork({"story", "show", "1", "--json"}, root());
        return item.exit_code == 0 && item.out.find(R"("stage":"current")") == std::string::npos &&
               item.out.find(R"("stage":")") != std::string::npos;
      },
      std::chrono::seconds(90)))
      << serve.output();
  auto runs =
      json::parse(testing::http_call(serve.port(), "GET", "/api/runs?story=1_story_talk").body);
  ASSERT_EQ(runs.at("runs").as_array().size(), 2U) << runs;
  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait_exit(std::chrono::seconds(10)), 0) << serve.output();
}

}  // namespace
}  // namespace stork
