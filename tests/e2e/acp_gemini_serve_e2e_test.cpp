// The `acp` runtime under `stork serve` with its second real agent: the pinned Gemini CLI in ACP
// mode (`gemini --acp --skip-trust`, STORK_GEMINI_CLI) against the scripted Gemini API
// (scripted_model_api.py --format gemini) on loopback. The model reads the item's criteria
// through the MCP server stork gives session/new, overwrites a file with the CLI's write_file
// tool (through stork's fs methods), commits it with run_shell_command, ticks the criterion and
// reports completion over MCP, and the item passes its gate and merges.
// --skip-trust: the CLI starts no MCP server at all in a folder it does not trust, and a
// worktree is never in its trustedFolders.json. The file exists beforehand: the CLI 0.61 takes
// any error answer to fs/read_text_file (its SDK rejects with the bare JSON-RPC error object,
// not an Error) as a failed read rather than "no such file", so its write_file cannot create a
// new file through an ACP client (docs/runtime-acp.md).
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

using testing::eventually;
using ::testing::HasSubstr;

std::string scenario(const std::filesystem::path& worktree) {
  return R"([
  {"text": "Reading the criteria.",
   "tool_calls": [{"name": "mcp_storkit_get_story_todos", "arguments": {"story_id": "1_story_gem"}}]},
  {"tool_calls": [{"name": "write_file", "arguments": {"file_path": ")" +
         (worktree / "gemini.txt").string() + R"(", "content": "from gemini over ACP\n"}}]},
  {"tool_calls": [{"name": "run_shell_command", "arguments": {"command": "git add gemini.txt && git commit -qm 'gemini file'"}}]},
  {"tool_calls": [{"name": "mcp_storkit_check_criterion", "arguments": {"story_id": "1_story_gem", "index": 0}}]},
  {"tool_calls": [{"name": "mcp_storkit_report_completion", "arguments": {"story_id": "1_story_gem", "agent_name": "coder-gemini-acp"}}]},
  {"text": "Done: gemini.txt is committed and the work is reported."}
])";
}

TEST(AcpGeminiServe, GeminiCliInAcpModeWritesCommitsCallsStorkMcpToolsAndTheItemMerges) {
  ASSERT_EQ(::access(STORK_GEMINI_CLI, X_OK), 0)
      << STORK_GEMINI_CLI << " is missing: run scripts/setup (tests/e2e/package.json)";
  testing::TempDir dir, home, server_dir, logs;
  const auto root = dir.path();
  testing::init_repo(root);
  // API-key auth, so the CLI neither opens a browser nor asks Google (docs/runtime-acp.md).
  testing::write_text(home.path() / ".gemini/settings.json",
                      R"({"security":{"auth":{"selectedType":"gemini-api-key"}},)"
                      R"("privacy":{"usageStatisticsEnabled":false}})");
  testing::write_project_files(root, "#!/bin/sh\ngrep -q 'over ACP' gemini.txt && echo gate ok\n");
  testing::write_text(root / "gemini.txt", "to be replaced\n");
  testing::write_text(server_dir.path() / "scenario.json",
                      scenario(root / ".storkit/worktrees/1_story_gem"));
  testing::ScriptedServer model(STORK_SCRIPTED_MODEL_API, server_dir.path() / "scenario.json",
                                server_dir.path(), {"--format", "gemini"});
  ASSERT_FALSE(model.failed()) << model.error();
  // The model server and its key come from the agent's block (base_url, api_key_env), which
  // stork hands to the Gemini CLI as GOOGLE_GEMINI_BASE_URL and GEMINI_API_KEY; nothing in
  // stork's own environment points the CLI anywhere.
  testing::write_text(root / ".storkit/project.toml",
                      "[[agent]]\nname = \"coder-gemini-acp\"\nstage = \"coder\"\n"
                      "runtime = \"acp\"\ncommand = '" STORK_GEMINI_CLI
                      "'\n"
                      "args = [\"--acp\", \"--skip-trust\", \"-m\", \"gemini-2.5-flash\"]\n"
                      "base_url = \"" +
                          model.base_url() +
                          "\"\napi_key_env = \"STORK_E2E_GEMINI_KEY\"\n"
                          "inactivity_timeout_secs = 90\n");
  testing::write_text(root / ".storkit/work/2_current/1_story_gem.md",
                      "---\nname: Gem\n---\n\n# Story 1: Gem\n\n## Acceptance Criteria\n\n"
                      "- [ ] gemini.txt holds the words of the Gemini CLI\n");
  testing::git(root, {"add", "-A"});
  testing::git(root, {"commit", "-qm", "project"});

  testing::ServeProcess server(
      {"serve", "--port", "0"}, root, logs.path(),
      {{"HOME", home.path().string()}, {"STORK_E2E_GEMINI_KEY", "scripted-gemini-key"}});
  ASSERT_TRUE(server.wait_listening()) << server.output();
  const bool done = eventually(
      [&] { return std::filesystem::exists(root / ".storkit/work/5_done/1_story_gem.md"); },
      std::chrono::seconds(120));
  ASSERT_TRUE(done) << server.output() << "\nrequests:\n" << model.requests_text();
  EXPECT_EQ(testing::git(root, {"show", "main:gemini.txt"}), "from gemini over ACP\n");
  EXPECT_THAT(testing::read_text(root / ".storkit/work/5_done/1_story_gem.md"),
              HasSubstr("- [x] gemini.txt holds the words of the Gemini CLI"));

  const auto requests = model.request_lines();
  ASSERT_GE(requests.size(), 6u) << model.requests_text();
  // The CLI offered stork's tools (from session/new's mcpServers) next to its own.
  EXPECT_THAT(requests[0], HasSubstr("\"mcp_storkit_check_criterion\""));
  EXPECT_THAT(requests[0], HasSubstr("\"write_file\""));
  // The tools' answers came back to the model: the criteria, the write (through stork's
  // fs/read_text_file and fs/write_text_file), then the gate's verdict.
  EXPECT_THAT(requests[2], HasSubstr("Successfully overwrote file"));
  EXPECT_THAT(requests[1], HasSubstr("gemini.txt holds the words of the Gemini CLI"));
  EXPECT_THAT(requests[5], HasSubstr("gate passed"));
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait_exit(std::chrono::seconds(15)), 0) << server.output();
}

}  // namespace
}  // namespace stork
