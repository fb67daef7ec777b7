// The `gemini-cli` runtime under `stork serve` with the real, pinned Gemini CLI
// (STORK_GEMINI_CLI) against the scripted Gemini API (scripted_model_api.py --format gemini) on
// loopback: the model writes a file with the CLI's write_file tool, commits it with
// run_shell_command, reads its criteria, ticks one and reports completion through stork's MCP
// server (mcp_storkit_<tool>: the CLI's names for them), and the item passes its gate and
// merges.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

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

constexpr const char* kScenario = R"([
  {"text": "Reading the criteria.",
   "tool_calls": [{"name": "mcp_storkit_get_story_todos", "arguments": {"story_id": "1_story_gem"}}]},
  {"tool_calls": [{"name": "write_file", "arguments": {"file_path": "gem.txt", "content": "from gemini\n"}}]},
  {"tool_calls": [{"name": "run_shell_command", "arguments": {"command": "git add gem.txt && git commit -qm 'gem file'"}}]},
  {"tool_calls": [{"name": "mcp_storkit_check_criterion", "arguments": {"story_id": "1_story_gem", "index": 0}}]},
  {"tool_calls": [{"name": "mcp_storkit_report_completion", "arguments": {"story_id": "1_story_gem", "agent_name": "coder-gemini"}}]},
  {"text": "Done: gem.txt is committed and the work is reported."}
])";

class GeminiCliServe : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::access(STORK_GEMINI_CLI, X_OK), 0)
        << STORK_GEMINI_CLI << " is missing: run scripts/setup (tests/e2e/package.json)";
    testing::init_repo(root());
  }
  std::filesystem::path root() const { return dir_.path(); }

  testing::TempDir dir_, home_, server_dir_, logs_;
};

TEST_F(GeminiCliServe, AgentWritesCommitsCallsStorkMcpToolsAndTheItemMerges) {
  testing::write_project_files(root(), "#!/bin/sh\ntest -f gem.txt && echo gate ok\n");
  testing::write_text(root() / ".storkit/work/2_current/1_story_gem.md",
                      "---\nname: Gem\n---\n\n# Story 1: Gem\n\n## Acceptance Criteria\n\n"
                      "- [ ] gem.txt holds the words of the Gemini CLI\n");
  testing::write_text(server_dir_.path() / "scenario.json", kScenario);
  testing::ScriptedServer model(STORK_SCRIPTED_MODEL_API, server_dir_.path() / "scenario.json",
                                server_dir_.path(), {"--format", "gemini"});
  ASSERT_FALSE(model.failed()) << model.error();
  testing::write_text(root() / ".storkit/project.toml",
                      "[[agent]]\nname = \"coder-gemini\"\nstage = \"coder\"\n"
                      "runtime = \"gemini-cli\"\ncommand = '" STORK_GEMINI_CLI
                      "'\n"
                      "model = \"gemini-2.5-flash\"\nbase_url = \"" +
                          model.base_url() +
                          "\"\napi_key_env = \"STORK_E2E_GEMINI_KEY\"\n"
                          "inactivity_timeout_secs = 90\n");
  testing::git(root(), {"add", "-A"});
  testing::git(root(), {"commit", "-qm", "project"});

  // HOME is empty: nothing of a person's ~/.gemini may reach the run.
  testing::ServeProcess server(
      {"serve", "--port", "0"}, root(), logs_.path(),
      {{"HOME", home_.path().string()}, {"STORK_E2E_GEMINI_KEY", "scripted-gemini-key"}});
  ASSERT_TRUE(server.wait_listening()) << server.output();

  const bool done = eventually(
      [&] { return std::filesystem::exists(root() / ".storkit/work/5_done/1_story_gem.md"); },
      std::chrono::seconds(120));
  ASSERT_TRUE(done) << server.output() << "\nrequests:\n" << model.requests_text();
  EXPECT_EQ(testing::git(root(), {"show", "main:gem.txt"}), "from gemini\n");
  EXPECT_THAT(testing::read_text(root() / ".storkit/work/5_done/1_story_gem.md"),
              HasSubstr("- [x] gem.txt holds the words of the Gemini CLI"));

  const auto requests = model.request_lines();
  ASSERT_GE(requests.size(), 6u) << model.requests_text();
  // The CLI offered stork's tools next to its own, under its mcp_<server>_<tool> names.
  EXPECT_THAT(requests[0], HasSubstr("\"mcp_storkit_check_criterion\""));
  EXPECT_THAT(requests[0], HasSubstr("\"write_file\""));
  // The tools' answers came back to the model: the criteria, then the gate's verdict.
  EXPECT_THAT(requests[1], HasSubstr("gem.txt holds the words of the Gemini CLI"));
  EXPECT_THAT(requests[5], HasSubstr("gate passed"));
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait_exit(std::chrono::seconds(15)), 0) << server.output();
}

}  // namespace
}  // namespace stork
