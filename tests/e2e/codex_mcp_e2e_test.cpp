// The real Codex CLI (STORK_CODEX_CLI, pinned in package.json) as a `codex` coder under `stork
// serve`, against the scripted Responses API (scripted_model_api.py --format responses): it
// writes a file and commits it with its exec_command tool, calls stork's report_completion
// over the MCP server named in its per-run config.toml, and the item passes its gate and
// merges. The person's own ~/.codex is never read or written: HOME points at an empty
// directory the test then checks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../integration/serve_process.hpp"
#include "scripted_server.hpp"
#include "support/eventually.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string all_requests(const testing::ScriptedServer& model) {
  std::string all;
  for (const auto& line : model.request_lines())
    all += line + "\n";
  return all;
}

TEST(CodexServe, CodexCommitsCallsReportCompletionOverMcpAndTheItemMerges) {
  ASSERT_TRUE(std::filesystem::exists(STORK_CODEX_CLI))
      << STORK_CODEX_CLI << " is missing: run scripts/setup";
  testing::TempDir dir, home, server_dir, logs;
  const auto root = dir.path();
  testing::init_repo(root);
  testing::write_project_files(root, "#!/bin/sh\ntest -f codex.txt && echo gate ok\n");
  testing::ScriptedServer model(
      STORK_SCRIPTED_MODEL_API,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "codex/scenarios/mcp_commit_report.json",
      server_dir.path(), {"--format", "responses"});
  ASSERT_FALSE(model.failed()) << model.error();
  testing::write_text(root / ".storkit/project.toml",
                      "[[agent]]\nname = \"coder-codex\"\nstage = \"coder\"\nruntime = \"codex\"\n"
                      "command = '" STORK_CODEX_CLI
                      "'\nargs = [\"--dangerously-bypass-approvals-and-sandbox\"]\n"
                      "model = \"gpt-5.5\"\nbase_url = \"" +
                          model.base_url() +
                          "/v1\"\napi_key_env = \"STORK_E2E_CODEX_KEY\"\n"
                          "inactivity_timeout_secs = 60\n");
  testing::git(root, {"add", "-A"});
  testing::git(root, {"commit", "-qm", "project"});
  testing::write_text(root / ".storkit/work/2_current/1_story_codex.md",
                      "---\nname: Codex\n---\n\n# Story 1: Codex\n\n## Acceptance Criteria\n\n"
                      "- [ ] codex.txt exists\n");

  testing::ServeProcess serve(
      {"serve", "--port", "0"}, root, logs.path(),
      {{"HOME", home.path().string()}, {"STORK_E2E_CODEX_KEY", "sk-scripted-codex"}});
  ASSERT_TRUE(serve.wait_listening()) << serve.output();

  const bool done = testing::eventually(
      [&] { return std::filesystem::exists(root / ".storkit/work/5_done/1_story_codex.md"); },
      std::chrono::seconds(90));
  ASSERT_TRUE(done) << serve.output() << "\nrequests:\n" << all_requests(model);
  EXPECT_EQ(testing::git(root, {"show", "main:codex.txt"}), "made by codex\n");

  const std::string requests = all_requests(model);
  // The key from api_key_env was sent; stork's tool was offered under the name the scenario
  // calls, and its verdict came back into the conversation.
  EXPECT_THAT(requests, HasSubstr(R"("auth": true)"));
  EXPECT_THAT(requests, Not(HasSubstr(R"("auth": false, "body": {)")));
  EXPECT_THAT(requests, HasSubstr("mcp__storkit__report_completion"));
  EXPECT_THAT(requests, HasSubstr("gate passed"));
  EXPECT_THAT(serve.output(), HasSubstr("report_completion"));
  // The run's config lives under the item's logs; the person's HOME got no ~/.codex.
  EXPECT_FALSE(std::filesystem::exists(home.path() / ".codex"));
  EXPECT_TRUE(std::filesystem::exists(root / ".storkit/logs/1_story_codex/home/.codex-coder-codex/"
                                             "config.toml"));
  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait_exit(std::chrono::seconds(10)), 0) << serve.output();
}

}  // namespace
}  // namespace stork
