// The `acp` runtime under `stork serve` with the real claude-code-acp: the agent writes a file
// through stork's fs/write_text_file, commits it, calls stork's MCP tools (get_story_todos,
// report_completion) through the http MCP server stork gives session/new, and the item passes
// its gate and merges. With permission_mode = "ask", the agent's session/request_permission
// is held until `stork permission allow` answers it, and then the command runs.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../integration/serve_process.hpp"
#include "scripted_server.hpp"
#include "support/eventually.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

namespace json = boost::json;
using testing::eventually;
using ::testing::HasSubstr;

class AcpServe : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::access(STORK_CLAUDE_ACP, X_OK), 0)
        << "claude-code-acp is missing at " << STORK_CLAUDE_ACP << ": run scripts/setup";
    testing::init_repo(root());
  }
  std::filesystem::path root() const { return dir_.path(); }

  void write_project(const std::string& gate, const std::string& extra_agent_lines) {
    testing::write_project_files(root(), gate);
    testing::write_text(root() / ".storkit/project.toml",
                        "[[agent]]\nname = \"coder-acp\"\nstage = \"coder\"\nruntime = \"acp\"\n"
                        "command = '" STORK_CLAUDE_ACP "'\ninactivity_timeout_secs = 60\n" +
                            extra_agent_lines);
    testing::git(root(), {"add", "-A"});
    testing::git(root(), {"commit", "-qm", "project"});
  }

  // The model's address and key reach the agent from stork's environment, or, with
  // `from_config`, from the agent's base_url and api_key_env (the key in STORK_E2E_ACP_KEY).
  std::unique_ptr<testing::ServeProcess> serve(const testing::ScriptedServer& model,
                                               bool from_config = false) {
    std::vector<std::pair<std::string, std::string>> env{
        {"HOME", home_.path().string()},
        {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"},
        {"CLAUDE_CODE_MAX_RETRIES", "0"},
        {"IS_SANDBOX", "1"}};
    if (from_config) {
      env.emplace_back("STORK_E2E_ACP_KEY", "sk-ant-scripted-test");
    } else {
      env.emplace_back("ANTHROPIC_BASE_URL", model.base_url());
      env.emplace_back("ANTHROPIC_API_KEY", "sk-ant-scripted-test");
    }
    return std::make_unique<testing::ServeProcess>(std::vector<std::string>{"serve", "--port", "0"},
                                                   root(), logs_.path(), std::move(env));
  }

  testing::TempDir dir_, home_, server_dir_, logs_;
};

// The model's address and key come from the agent's block: stork hands base_url and the key
// named by api_key_env to claude-code-acp as ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY.
TEST_F(AcpServe, AgentWritesCommitsCallsStorkMcpToolsAndTheItemMerges) {
  testing::ScriptedServer model(
      STORK_SCRIPTED_ANTHROPIC,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "acp/claude_acp_mcp_merge.json",
      server_dir_.path());
  ASSERT_FALSE(model.failed()) << model.error();
  write_project("#!/bin/sh\ntest -f acp.txt && echo gate ok\n",
                "base_url = \"" + model.base_url() + "\"\napi_key_env = \"STORK_E2E_ACP_KEY\"\n");
  testing::write_text(root() / ".storkit/work/2_current/1_story_acp.md",
                      "---\nname: ACP\n---\n\n# Story 1: ACP\n\n## Acceptance Criteria\n\n"
                      "- [ ] acp.txt holds the words of the ACP agent\n");
  auto server = serve(model, /*from_config=*/true);
  ASSERT_TRUE(server->wait_listening()) << server->output();

  const bool done = eventually(
      [&] { return std::filesystem::exists(root() / ".storkit/work/5_done/1_story_acp.md"); },
      std::chrono::seconds(90));
  ASSERT_TRUE(done) << server->output() << "\nrequests:\n" << model.requests_text();
  EXPECT_EQ(testing::git(root(), {"show", "main:acp.txt"}), "written over ACP\n");
  const auto requests = model.requests_text();
  // get_story_todos answered with the item's criteria; report_completion ran the gate.
  EXPECT_THAT(requests, HasSubstr("acp.txt holds the words of the ACP agent"));
  EXPECT_THAT(requests, HasSubstr("gate passed"));
  server->signal(SIGTERM);
  EXPECT_EQ(server->wait_exit(std::chrono::seconds(15)), 0) << server->output();
}

TEST_F(AcpServe, PermissionQuestionIsHeldUntilAPersonAllowsItAndThenTheCommandRuns) {
  write_project("#!/bin/sh\nexit 1\n", "permission_mode = \"ask\"\n");
  testing::write_text(root() / ".storkit/work/2_current/1_story_ask.md",
                      "---\nname: Ask\n---\n\n# Story 1: Ask\n");
  testing::ScriptedServer model(
      STORK_SCRIPTED_ANTHROPIC,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "acp/claude_acp_permission.json",
      server_dir_.path());
  ASSERT_FALSE(model.failed()) << model.error();
  auto server = serve(model);
  ASSERT_TRUE(server->wait_listening()) << server->output();
  const auto port = std::to_string(server->port());
  const auto marker = root() / ".storkit/worktrees/1_story_ask/allowed.txt";

  json::array pending;
  ASSERT_TRUE(eventually(
      [&] {
        auto listed = testing::run_stork({"permission", "list", "--json", "--port", port}, root());
        if (listed.exit_code != 0) return false;
        pending = json::parse(listed.out).at("permissions").as_array();
        return !pending.empty();
      },
      std::chrono::seconds(90)))
      << server->output() << "\nrequests:\n"
      << model.requests_text();
  const auto& question = pending.front().as_object();
  EXPECT_EQ(question.at("agent"), "coder-acp");
  EXPECT_EQ(question.at("story_id"), "1_story_ask");
  EXPECT_EQ(question.at("tool_name"), "Bash");
  EXPECT_EQ(question.at("input").at("command"), "echo allowed > allowed.txt");
  EXPECT_FALSE(std::filesystem::exists(marker)) << "nothing runs before the answer";

  auto allowed = testing::run_stork(
      {"permission", "allow", std::string(question.at("id").as_string()), "--port", port}, root());
  ASSERT_EQ(allowed.exit_code, 0) << allowed.err;
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(marker); }, std::chrono::seconds(60)))
      << server->output() << "\nrequests:\n"
      << model.requests_text();
  EXPECT_EQ(testing::read_text(marker), "allowed\n");
  server->signal(SIGTERM);
  EXPECT_EQ(server->wait_exit(std::chrono::seconds(15)), 0) << server->output();
}

}  // namespace
}  // namespace stork
