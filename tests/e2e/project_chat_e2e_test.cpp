// The project chat under `stork serve` with the real Claude Code CLI and the scripted model
// (docs/project-chat.md): a message sent through POST /api/chat starts the `[chat] agent` in
// the project root, its text streams back as the run's events, its create_story call makes a
// backlog item, and the conversation is still there, and resumes its session, after a server
// restart. Bad input: an unknown conversation is 404, an empty message 400, both naming the
// field, and nothing is recorded.
#include <thread>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../integration/http_probe.hpp"
#include "../integration/serve_process.hpp"
#include "scripted_server.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

bool eventually(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return predicate();
}

class ProjectChatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(STORK_CLAUDE_CLI))
        << STORK_CLAUDE_CLI << " is missing: run scripts/setup";
    testing::init_repo(root());
    testing::write_project_files(root(), "#!/bin/sh\nexit 0\n");
    // The roster entry skips permissions; the chat drops that flag and asks instead.
    testing::write_text(root() / ".storkit/project.toml",
                        "[[agent]]\nname = \"planner\"\nstage = \"other\"\n"
                        "runtime = \"claude-code\"\ncommand = '" STORK_CLAUDE_CLI
                        "'\nargs = [\"--dangerously-skip-permissions\"]\n"
                        "model = \"claude-sonnet-4-5\"\ninactivity_timeout_secs = 60\n"
                        "[chat]\nagent = \"planner\"\n");
    testing::git(root(), {"add", "-A"});
    testing::git(root(), {"commit", "-qm", "project"});
  }

  std::vector<std::pair<std::string, std::string>> env(const testing::ScriptedServer& model) {
    return {{"HOME", home_.path().string()},
            {"ANTHROPIC_BASE_URL", model.base_url()},
            {"ANTHROPIC_API_KEY", "sk-ant-scripted-test"},
            {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"},
            {"CLAUDE_CODE_MAX_RETRIES", "0"}};
  }

  std::filesystem::path root() const { return dir_.path(); }

  testing::TempDir dir_, home_, server_dir_, logs_;
};

json::object get_chat(unsigned short port, std::int64_t id) {
  auto answer = testing::http_call(port, "GET", "/api/chat/" + std::to_string(id));
  if (answer.status != 200) return {};
  return json::parse(answer.body).as_object();
}

// The agent's lines of the conversation, joined.
std::string agent_text(const json::object& view) {
  std::string text;
  if (!view.contains("messages")) return text;
  for (const auto& line : view.at("messages").as_array()) {
    if (line.at("role") == "agent") text += std::string(line.at("text").as_string()) + "\n";
  }
  return text;
}

bool run_done(const json::object& view, std::int64_t run_id) {
  if (!view.contains("events")) return false;
  for (const auto& event : view.at("events").as_array()) {
    if (event.at("run_id").as_int64() == run_id && event.at("type") == "done") return true;
  }
  return false;
}

// The names of the tools the CLI offered the model in its main requests.
std::vector<std::string> offered_tools(const std::vector<std::string>& request_lines) {
  std::vector<std::string> names;
  for (const auto& line : request_lines) {
    auto request = json::parse(line).as_object();
    const auto* body = request.at("body").if_object();
    if (request.at("kind") != "main" || body == nullptr || !body->contains("tools")) continue;
    for (const auto& tool : body->at("tools").as_array())
      names.emplace_back(tool.at("name").as_string());
  }
  return names;
}

json::object run_of(const json::object& view, std::int64_t run_id) {
  if (!view.contains("runs")) return {};
  for (const auto& run : view.at("runs").as_array()) {
    if (run.at("id").as_int64() == run_id) return run.as_object();
  }
  return {};
}

TEST_F(ProjectChatTest, MessageStreamsBackCreatesAnItemAndSurvivesARestart) {
  testing::ScriptedServer model(
      STORK_SCRIPTED_ANTHROPIC,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "claude/scenarios/project_chat.json",
      server_dir_.path());
  ASSERT_FALSE(model.failed()) << model.error();
  std::int64_t conversation = 0;
  std::int64_t first_run = 0;
  {
    testing::ServeProcess serve({"serve", "--port", "0"}, root(), logs_.path(), env(model));
    ASSERT_TRUE(serve.wait_listening()) << serve.output();
    const auto port = serve.port();

    // Bad input first: nothing is recorded for it.
    auto unknown = testing::http_call(port, "POST", "/api/chat", {},
                                      R"({"message":"hello?","conversation_id":4242})");
    EXPECT_EQ(unknown.status, 404) << unknown.body;
    EXPECT_THAT(unknown.body, HasSubstr("no conversation 4242"));
    auto empty = testing::http_call(port, "POST", "/api/chat", {}, R"({"message":"  "})");
    EXPECT_EQ(empty.status, 400) << empty.body;
    EXPECT_THAT(empty.body, HasSubstr("message"));
    auto missing = testing::http_call(port, "POST", "/api/chat", {}, R"({})");
    EXPECT_EQ(missing.status, 400) << missing.body;
    auto unknown_view = testing::http_call(port, "GET", "/api/chat/4242");
    EXPECT_EQ(unknown_view.status, 404) << unknown_view.body;
    auto none = json::parse(testing::http_call(port, "GET", "/api/chat").body);
    EXPECT_TRUE(none.at("conversations").as_array().empty()) << none;

    auto sent = testing::http_call(port, "POST", "/api/chat", {},
                                   R"({"message":"Plan a CSV export of the board"})");
    ASSERT_EQ(sent.status, 200) << sent.body;
    auto receipt = json::parse(sent.body).as_object();
    conversation = receipt.at("conversation_id").as_int64();
    first_run = receipt.at("run_id").as_int64();
    EXPECT_EQ(receipt.at("agent"), "planner");
    EXPECT_EQ(receipt.at("delivery"), "started");

    // The answer streams back as the run's events (the CLI prints it as it comes).
    ASSERT_TRUE(eventually(
        [&] {
          return agent_text(get_chat(port, conversation)).find("PELICAN-7") != std::string::npos;
        },
        std::chrono::seconds(90)))
        << serve.output();
    auto items = testing::http_call(port, "GET", "/api/pipeline").body;
    EXPECT_THAT(items, HasSubstr("Export the board as CSV"));
    auto view = get_chat(port, conversation);
    const std::string events = json::serialize(view.at("events"));
    EXPECT_THAT(events, HasSubstr("mcp__storkit__create_story"));
    EXPECT_THAT(events, HasSubstr(R"("type":"tool_result")"));
    // It ran in the project root, with the editors disallowed and no permission bypass.
    ASSERT_TRUE(eventually([&] { return run_done(get_chat(port, conversation), first_run); },
                           std::chrono::seconds(60)));
    auto run = run_of(get_chat(port, conversation), first_run);
    EXPECT_EQ(run.at("story_id").as_string(), "chat-" + std::to_string(conversation)) << run;
    EXPECT_EQ(run.at("status"), "completed") << run;
    // The CLI ran in the project root (it names its cwd to the model), without the editors.
    std::string first_requests;
    for (const auto& line : model.request_lines())
      first_requests += line + "\n";
    EXPECT_THAT(first_requests, HasSubstr("Primary working directory: " + root().string()));
    for (const auto& name : offered_tools(model.request_lines())) {
      EXPECT_NE(name, "Write");
      EXPECT_NE(name, "Edit");
    }
    EXPECT_THAT(offered_tools(model.request_lines()), ::testing::Contains("Read"));
    EXPECT_GT(get_chat(port, conversation).at("cost_usd").as_double(), 0.0);
    serve.signal(SIGTERM);
    ASSERT_TRUE(serve.wait_exit(std::chrono::seconds(30)).has_value());
  }

  // After a restart the conversation is there, and a follow-up resumes its session.
  testing::ServeProcess serve({"serve", "--port", "0"}, root(), logs_.path(), env(model));
  ASSERT_TRUE(serve.wait_listening()) << serve.output();
  const auto port = serve.port();
  auto listed = json::parse(testing::http_call(port, "GET", "/api/chat").body);
  ASSERT_EQ(listed.at("conversations").as_array().size(), 1U) << listed;
  EXPECT_EQ(listed.at("conversations").as_array().at(0).at("title"),
            "Plan a CSV export of the board");
  EXPECT_THAT(agent_text(get_chat(port, conversation)), HasSubstr("PELICAN-7"));
  auto follow = testing::http_call(port, "POST", "/api/chat", {},
                                   R"({"message":"Are you still there?","conversation_id":)" +
                                       std::to_string(conversation) + "}");
  ASSERT_EQ(follow.status, 200) << follow.body;
  const auto second_run = json::parse(follow.body).at("run_id").as_int64();
  ASSERT_TRUE(eventually(
      [&] {
        return agent_text(get_chat(port, conversation)).find("GIRAFFE-9") != std::string::npos;
      },
      std::chrono::seconds(90)))
      << serve.output();
  auto view = get_chat(port, conversation);
  auto first = run_of(view, first_run);
  auto second = run_of(view, second_run);
  EXPECT_FALSE(first.at("session_id").is_null()) << first;
  EXPECT_EQ(first.at("session_id"), second.at("session_id")) << first << second;
  // The resumed request carried the first turn (its tool call), then the new message.
  std::string requests;
  for (const auto& line : model.request_lines())
    requests += line + "\n";
  EXPECT_THAT(requests, HasSubstr("Are you still there?"));
  EXPECT_THAT(requests, HasSubstr("Plan a CSV export of the board"));
}

}  // namespace
}  // namespace stork
