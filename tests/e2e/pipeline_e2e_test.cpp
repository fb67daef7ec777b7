// The whole pipeline end to end, without a human: `stork run --pipeline` on five backlog items
// with three coders, one of them the real Claude Code CLI (against the scripted Messages API
// server), the other two scripted `command` agents. One item fails its gate once and passes on
// the retry; two items edit the same line, so the second merge conflicts and is flagged; every
// other item ends in 5_done with its code on main exactly once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/subprocess.hpp"
#include "scripted_server.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"
#include "work/stage_store.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The command coders act by slug, like the pipeline tests' coder (tests/unit/engine).
std::string command_coder(const std::filesystem::path& attempts) {
  const auto dir = attempts.string();
  return R"(set -e
id="$STORK_STORY_ID"
n=$(cat ")" +
         dir + R"(/$id" 2>/dev/null || echo 0); n=$((n+1)); echo $n > ")" + dir + R"(/$id"
slug=${id#*_*_}
case "$slug" in
  flaky*) if [ $n -eq 1 ]; then echo BROKEN > "$id.txt"; else echo "fixed $id" > "$id.txt"; fi ;;
  conflict*) sleep 0.5; sed -i "1s/.*/$id/" shared.txt ;;
  *) echo "work of $id" > "$id.txt" ;;
esac
git add -A .
git commit -qm "work on $id"
)";
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

// `stork run --pipeline STORIES...` in `root`, with the real Claude Code CLI pointed at the
// scripted Messages API `server` (docs/claude-code.md), and `home` as its HOME.
Command stork_run_with_claude(const std::filesystem::path& root, const std::filesystem::path& home,
                              const testing::ScriptedServer& server,
                              const std::vector<std::string>& stories) {
  Command command;
  command.argv = {STORK_BINARY, "run", "--pipeline"};
  command.argv.insert(command.argv.end(), stories.begin(), stories.end());
  command.cwd = root;
  command.merge_stderr = true;
  command.set_env = {{"HOME", home.string()},
                     {"ANTHROPIC_BASE_URL", server.base_url()},
                     {"ANTHROPIC_API_KEY", "sk-ant-scripted-test"},
                     {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"},
                     {"CLAUDE_CODE_MAX_RETRIES", "0"},
                     {"IS_SANDBOX", "1"}};
  command.unset_env = {"ANTHROPIC_AUTH_TOKEN", "CLAUDE_CONFIG_DIR", "STORK_TOKEN"};
  return command;
}

TEST(PipelineEndToEnd, FiveItemsThreeCodersOneOfThemClaudeCode) {
  ASSERT_TRUE(std::filesystem::exists(STORK_CLAUDE_CLI))
      << STORK_CLAUDE_CLI << " is missing: run scripts/setup";
  testing::TempDir dir, home, server_dir;
  const auto root = dir.path();
  testing::init_repo(root);
  std::filesystem::create_directories(root / "attempts");
  testing::write_project_files(
      root, "#!/bin/sh\nif grep -l BROKEN *.txt 2>/dev/null; then exit 1; fi\necho ok\n",
      "attempts/\n");
  testing::write_text(root / "shared.txt", "line one\nline two\n");
  testing::write_text(
      root / ".storkit/project.toml",
      "max_coders = 3\n"
      "[[agent]]\nname = \"coder-2\"\nstage = \"coder\"\nruntime = \"command\"\n"
      "command = \"/bin/sh\"\nargs = [\"-c\", '''" +
          command_coder(root / "attempts") +
          "''']\n"
          "[[agent]]\nname = \"coder-3\"\nstage = \"coder\"\nruntime = \"command\"\n"
          "command = \"/bin/sh\"\nargs = [\"-c\", '''" +
          command_coder(root / "attempts") +
          "''']\n"
          "[[agent]]\nname = \"coder-claude\"\nstage = \"coder\"\nruntime = \"claude-code\"\n"
          "command = '" STORK_CLAUDE_CLI
          "'\nargs = [\"--dangerously-skip-permissions\"]\n"
          "model = \"claude-sonnet-4-5\"\ninactivity_timeout_secs = 60\n");
  const std::vector<std::pair<std::string, std::string>> items = {
      {"1_story_claude", "agent: coder-claude\n"},
      {"2_story_conflict_a", ""},
      {"3_story_conflict_b", ""},
      // Pinned to the command coders: the scripted Claude scenario only knows item 1, and a
      // free coder-claude would otherwise take whichever queued item came next.
      {"4_story_flaky", "agent: coder-2\n"},
      {"5_story_ok", "agent: coder-3\n"}};
  for (const auto& [id, extra] : items) {
    testing::write_text(root / ".storkit/work/1_backlog" / (id + ".md"),
                        "---\nname: " + id + "\n" + extra + "---\n\n# " + id + "\n");
  }
  testing::git(root, {"add", "-A"});
  testing::git(root, {"commit", "-qm", "project with five items"});

  testing::ScriptedServer server(
      STORK_SCRIPTED_ANTHROPIC,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "claude/scenarios/pipeline_claude_item.json",
      server_dir.path());
  ASSERT_FALSE(server.failed()) << server.error();

  auto output =
      run_command(stork_run_with_claude(root, home.path(), server, {"1", "2", "3", "4", "5"}));
  ASSERT_TRUE(output.ok());
  const auto& out = output.value().out;
  ASSERT_TRUE(output.value().succeeded()) << out;

  StageStore store(root);
  auto stage = [&](const std::string& id) {
    auto located = store.locate(id);
    return located.ok() ? std::string(stage_name(located.value().stage)) : "missing";
  };
  // The Claude Code item: its file, written by the real CLI, is on main.
  EXPECT_EQ(stage("1_story_claude"), "done") << out;
  EXPECT_EQ(testing::git(root, {"show", "main:claude.txt"}), "written by Claude Code\n");
  // The flaky item failed its gate once, was retried, and landed.
  EXPECT_EQ(stage("4_story_flaky"), "done") << out;
  EXPECT_EQ(testing::read_text(root / "attempts/4_story_flaky"), "2\n");
  EXPECT_EQ(testing::git(root, {"show", "main:4_story_flaky.txt"}), "fixed 4_story_flaky\n");
  EXPECT_EQ(stage("5_story_ok"), "done") << out;
  // Of the two conflicting items, one merged; the other is held in merge with the path.
  const auto a = stage("2_story_conflict_a"), b = stage("3_story_conflict_b");
  EXPECT_TRUE((a == "done" && b == "merge") || (a == "merge" && b == "done")) << a << " " << b;
  const auto held = a == "merge" ? "2_story_conflict_a" : "3_story_conflict_b";
  auto held_item = store.load(held);
  ASSERT_TRUE(held_item.ok());
  ASSERT_TRUE(held_item.value().merge_failure().has_value());
  EXPECT_THAT(*held_item.value().merge_failure(), HasSubstr("shared.txt"));
  // Every merged item's squash commit is on main exactly once.
  auto log = testing::git(root, {"log", "--format=%s", "main"});
  for (const auto* id : {"1_story_claude", "4_story_flaky", "5_story_ok"})
    EXPECT_EQ(count(log, std::string("storkit: merge ") + id), 1) << log;
  EXPECT_EQ(count(log, "storkit: merge 2_story_conflict_a") +
                count(log, "storkit: merge 3_story_conflict_b"),
            1)
      << log;
}

// The same pipeline with a coder on the `openai` runtime against the scripted Chat Completions
// server: the model writes a file and commits it through the worktree tools, ticks the item's
// criterion over stork's MCP tools, and the item is merged.
TEST(PipelineEndToEnd, OpenAiCoderItemMerges) {
  testing::TempDir dir, server_dir;
  const auto root = dir.path();
  testing::init_repo(root);
  testing::write_project_files(root, "#!/bin/sh\ntest -f api.txt && echo ok\n");
  testing::write_text(root / ".storkit/work/1_backlog/1_story_api.md",
                      "---\nname: api\n---\n\n# api\n\n## Acceptance Criteria\n\n- [ ] api.txt "
                      "exists\n");
  testing::git(root, {"add", "-A"});
  testing::git(root, {"commit", "-qm", "project with one item"});
  testing::write_text(
      server_dir.path() / "scenario.json",
      R"([{"tool_calls":[{"name":"write_file","arguments":{"path":"api.txt","content":"from the model\n"}}]},
          {"tool_calls":[{"name":"run_command","arguments":{"command":"git add api.txt && git commit -qm 'api file'"}}]},
          {"tool_calls":[{"name":"check_criterion","arguments":{"story_id":"1_story_api","index":0}}]},
          {"text":"Done."}])");
  testing::ScriptedServer server(STORK_SCRIPTED_MODEL_API, server_dir.path() / "scenario.json",
                                 server_dir.path(), {"--format", "openai"});
  ASSERT_FALSE(server.failed()) << server.error();
  testing::write_text(root / ".storkit/project.toml",
                      "[[agent]]\nname = \"coder-gpt\"\nstage = \"coder\"\nruntime = \"openai\"\n"
                      "model = \"gpt-4.1-mini\"\nbase_url = \"" +
                          server.base_url() + "/v1\"\napi_key_env = \"STORK_E2E_OPENAI_KEY\"\n");

  Command command;
  command.argv = {STORK_BINARY, "run", "--pipeline", "1"};
  command.cwd = root;
  command.merge_stderr = true;
  command.set_env = {{"STORK_E2E_OPENAI_KEY", "sk-scripted"}};
  auto output = run_command(command);
  ASSERT_TRUE(output.ok());
  const auto& out = output.value().out;
  ASSERT_TRUE(output.value().succeeded()) << out;

  StageStore store(root);
  auto located = store.locate("1_story_api");
  ASSERT_TRUE(located.ok());
  EXPECT_EQ(located.value().stage, Stage::Done) << out;
  EXPECT_EQ(testing::git(root, {"show", "main:api.txt"}), "from the model\n");
  auto item = store.load("1_story_api");
  ASSERT_TRUE(item.ok());
  ASSERT_EQ(item.value().criteria().size(), 1u);
  EXPECT_TRUE(item.value().criteria()[0].checked) << out;
  EXPECT_EQ(server.request_lines().size(), 4u);
}

// `stork run` has no server, yet the CLI agents it starts reach stork's MCP tools: it serves
// them on a loopback port of its own behind a random token, and writes that URL and token into
// the worktree's .mcp.json. The real Claude Code CLI reads the item's criteria, ticks one and
// reports completion through them; the scripted model sees each tool's answer, and the item
// merges with its criterion ticked. (Before, the agents were pointed at :3000, where nothing
// answered, and the tools were missing.)
TEST(PipelineEndToEnd, ClaudeCodeUnderStorkRunReachesStorksMcpTools) {
  ASSERT_TRUE(std::filesystem::exists(STORK_CLAUDE_CLI))
      << STORK_CLAUDE_CLI << " is missing: run scripts/setup";
  testing::TempDir dir, home, server_dir;
  const auto root = dir.path();
  testing::init_repo(root);
  testing::write_project_files(root, "#!/bin/sh\ntest -f run.txt && echo ok\n");
  testing::write_text(root / ".storkit/work/1_backlog/1_story_run_mcp.md",
                      "---\nname: run mcp\n---\n\n# run mcp\n\n## Acceptance Criteria\n\n"
                      "- [ ] run.txt exists\n");
  testing::write_text(root / ".storkit/project.toml",
                      "[[agent]]\nname = \"coder-claude\"\nstage = \"coder\"\n"
                      "runtime = \"claude-code\"\ncommand = '" STORK_CLAUDE_CLI
                      "'\nargs = [\"--dangerously-skip-permissions\"]\n"
                      "model = \"claude-sonnet-4-5\"\ninactivity_timeout_secs = 60\n");
  testing::git(root, {"add", "-A"});
  testing::git(root, {"commit", "-qm", "project with one item"});

  testing::ScriptedServer server(
      STORK_SCRIPTED_ANTHROPIC,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "claude/scenarios/run_mcp_item.json",
      server_dir.path());
  ASSERT_FALSE(server.failed()) << server.error();

  auto output = run_command(stork_run_with_claude(root, home.path(), server, {"1"}));
  ASSERT_TRUE(output.ok());
  const auto& out = output.value().out;
  ASSERT_TRUE(output.value().succeeded())
      << "exit " << output.value().exit_code << ", signal " << output.value().term_signal << "\n"
      << out;

  StageStore store(root);
  auto located = store.locate("1_story_run_mcp");
  ASSERT_TRUE(located.ok());
  EXPECT_EQ(located.value().stage, Stage::Done) << out;
  EXPECT_EQ(testing::git(root, {"show", "main:run.txt"}), "made under stork run\n");
  auto item = store.load("1_story_run_mcp");
  ASSERT_TRUE(item.ok());
  ASSERT_EQ(item.value().criteria().size(), 1u);
  EXPECT_TRUE(item.value().criteria()[0].checked) << out;
  // Every step of the scenario was asked for: the CLI went on after each tool's answer.
  EXPECT_EQ(server.request_lines().size(), 6u) << server.requests_text();
  // The agents were told the run's own listener, never the serve default.
  EXPECT_THAT(out, Not(HasSubstr("127.0.0.1:3000")));
}

}  // namespace
}  // namespace stork
