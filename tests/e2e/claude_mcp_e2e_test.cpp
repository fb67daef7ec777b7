// The real Claude Code CLI, started by `stork serve`'s pool, calls stork's MCP tools through
// the .mcp.json the pool wrote into its worktree: mcp__storkit__get_story_todos (the criteria
// come back into the conversation) and mcp__storkit__report_completion (stork runs the checks
// and the gate, and the item moves on and merges).
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../integration/serve_process.hpp"
#include "scripted_server.hpp"
#include "support/eventually.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"
#include "work/stage_store.hpp"

namespace stork {
namespace {

using testing::eventually;

using ::testing::HasSubstr;
using ::testing::Not;

// The coder's run through get_story_todos and report_completion to the merge, under `stork
// serve` with `extra` arguments; `dir` holds the repository.
void merges_through_mcp(const testing::TempDir& dir, const std::vector<std::string>& extra) {
  ASSERT_TRUE(std::filesystem::exists(STORK_CLAUDE_CLI))
      << STORK_CLAUDE_CLI << " is missing: run scripts/setup";
  testing::TempDir home, server_dir, logs;
  const auto root = dir.path();
  testing::init_repo(root);
  testing::write_project_files(root, "#!/bin/sh\ntest -f mcp.txt && echo gate ok\n");
  testing::write_text(
      root / ".storkit/project.toml",
      "[[agent]]\nname = \"coder-1\"\nstage = \"coder\"\nruntime = \"claude-code\"\n"
      "command = '" STORK_CLAUDE_CLI
      "'\n"
      "args = [\"--dangerously-skip-permissions\"]\nmodel = \"claude-sonnet-4-5\"\n"
      "inactivity_timeout_secs = 60\n");
  testing::git(root, {"add", "-A"});
  testing::git(root, {"commit", "-qm", "project"});
  testing::write_text(root / ".storkit/work/2_current/1_story_mcp.md",
                      "---\nname: MCP\n---\n\n# Story 1: MCP\n\n## Acceptance Criteria\n\n"
                      "- [ ] mcp.txt exists with the magic words\n");

  testing::ScriptedServer model(
      STORK_SCRIPTED_ANTHROPIC,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "claude/scenarios/mcp_todos_report.json",
      server_dir.path());
  ASSERT_FALSE(model.failed()) << model.error();

  std::vector<std::string> args{"serve", "--port", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  testing::ServeProcess serve(args, root, logs.path(), testing::claude_cli_env(model, home.path()));
  ASSERT_TRUE(serve.wait_listening()) << serve.output();

  // report_completion ran the gate and the item went on to merge and landed.
  const bool done = eventually(
      [&] { return std::filesystem::exists(root / ".storkit/work/5_done/1_story_mcp.md"); },
      std::chrono::seconds(60));
  std::string requests;
  for (const auto& line : model.request_lines())
    requests += line + "\n";
  ASSERT_TRUE(done) << serve.output() << "\nrequests:\n" << requests;
  EXPECT_EQ(testing::git(root, {"show", "main:mcp.txt"}), "made through MCP\n");

  // The model saw the real criteria (the tool result of get_story_todos) and the verdict of
  // report_completion in the conversation it was sent.
  EXPECT_THAT(requests, HasSubstr("mcp.txt exists with the magic words"));
  EXPECT_THAT(requests, HasSubstr("gate passed"));
  // The pipeline recorded that the completion came from the agent's call.
  EXPECT_THAT(serve.output(), HasSubstr("report_completion"));
  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait_exit(std::chrono::seconds(10)), 0) << serve.output();
}

TEST(ClaudeMcp, ClaudeCallsGetStoryTodosAndReportCompletionThroughTheWorktreeMcpJson) {
  testing::TempDir dir;
  merges_through_mcp(dir, {});
}

// Under TLS with a self-signed certificate (which the CLI cannot verify) on a non-loopback
// address with a token, the agent is given stork's plain loopback MCP listener and still
// reaches its tools, with the token in its worktree's .mcp.json.
TEST(ClaudeMcp, ClaudeReachesMcpOfATlsServerWithASelfSignedCertificate) {
  testing::TempDir dir, certs;
  const auto cert = (certs.path() / "cert.pem").string();
  const auto key = (certs.path() / "key.pem").string();
  const std::string make =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=buildbox "
      "-keyout '" +
      key + "' -out '" + cert + "' 2>/dev/null";
  ASSERT_EQ(std::system(make.c_str()), 0);  // NOLINT(concurrency-mt-unsafe)
  merges_through_mcp(dir, {"--host", "127.0.0.2", "--token", "admin-token-0123456789", "--tls-cert",
                           cert, "--tls-key", key});
  const auto mcp_json = testing::read_text(dir.path() / ".mcp.json");
  EXPECT_THAT(mcp_json, HasSubstr("http://127.0.0.1:")) << mcp_json;
  EXPECT_THAT(mcp_json, Not(HasSubstr("https://"))) << mcp_json;
}

// The README's unattended setup: no --dangerously-skip-permissions, every permission question
// goes to mcp__storkit__prompt_permission. Claude Code 2.1.329 accepts only a single text
// block as that tool's answer; an allowed Bash command runs, and a denied one comes back to
// the model as the tool's error with stork's reason.
TEST(ClaudeMcp, PermissionPromptToolAllowsAndDeniesBashCommandsOfTheRealCli) {
  ASSERT_TRUE(std::filesystem::exists(STORK_CLAUDE_CLI))
      << STORK_CLAUDE_CLI << " is missing: run scripts/setup";
  testing::TempDir dir, home, server_dir, logs;
  const auto root = dir.path();
  testing::init_repo(root);
  testing::write_project_files(root, "#!/bin/sh\nexit 1\n");
  testing::write_text(
      root / ".storkit/project.toml",
      "[[agent]]\nname = \"coder-1\"\nstage = \"coder\"\nruntime = \"claude-code\"\n"
      "command = '" STORK_CLAUDE_CLI
      "'\n"
      "args = [\"--permission-prompt-tool\", \"mcp__storkit__prompt_permission\"]\n"
      "model = \"claude-sonnet-4-5\"\ninactivity_timeout_secs = 60\n");
  testing::git(root, {"add", "-A"});
  testing::git(root, {"commit", "-qm", "project"});
  testing::write_text(root / ".storkit/work/2_current/1_story_perm.md",
                      "---\nname: Perm\n---\n\n# Story 1: Perm\n\n## Acceptance Criteria\n\n"
                      "- [ ] the shell works\n");

  testing::ScriptedServer model(
      STORK_SCRIPTED_ANTHROPIC,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "claude/scenarios/permission_prompt.json",
      server_dir.path());
  ASSERT_FALSE(model.failed()) << model.error();
  testing::ServeProcess serve({"serve", "--port", "0"}, root, logs.path(),
                              testing::claude_cli_env(model, home.path()));
  ASSERT_TRUE(serve.wait_listening()) << serve.output();

  // The request after the denied push carries stork's reason as the tool's result.
  auto requests = [&] { return model.requests_text(); };
  const bool denied_seen = eventually(
      [&] { return requests().find("never push") != std::string::npos; }, std::chrono::seconds(60));
  ASSERT_TRUE(denied_seen) << serve.output() << "\nrequests:\n" << requests();
  EXPECT_THAT(requests(), Not(HasSubstr("invalid result")));
  // The allowed command ran in the item's worktree.
  const auto marker = root / ".storkit/worktrees/1_story_perm/bash_ran.txt";
  ASSERT_TRUE(std::filesystem::exists(marker)) << requests();
  EXPECT_EQ(testing::read_text(marker), "ran through the permission prompt\n");
  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait_exit(std::chrono::seconds(10)), 0) << serve.output();
}

}  // namespace
}  // namespace stork
