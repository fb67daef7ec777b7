// The `gemini-cli` runtime through the whole pipeline: `stork run --pipeline` with one coder on
// the real, pinned Gemini CLI (STORK_GEMINI_CLI) against the scripted Gemini API
// (scripted_model_api.py --format gemini) on loopback. The model writes a file with the CLI's
// own write_file tool, commits it with run_shell_command, ticks the item's criterion through
// stork's MCP server (mcp_storkit_check_criterion: the CLI's name for the tool), and the item
// goes through the gate and merges. Also pins what the CLI was given: the agent's model and key,
// and a settings file of the run's own (never the person's ~/.gemini).
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "base/subprocess.hpp"
#include "scripted_server.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"
#include "work/stage_store.hpp"

namespace stork {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

std::string gemini_agent_toml(const std::string& base_url) {
  return "[[agent]]\nname = \"coder-gemini\"\nstage = \"coder\"\nruntime = \"gemini-cli\"\n"
         "command = '" STORK_GEMINI_CLI "'\nmodel = \"gemini-2.5-flash\"\nbase_url = \"" +
         base_url + "\"\napi_key_env = \"STORK_E2E_GEMINI_KEY\"\ninactivity_timeout_secs = 90\n";
}

TEST(GeminiCliPipeline, CoderEditsCommitsTicksItsCriterionOverMcpAndTheItemMerges) {
  ASSERT_EQ(::access(STORK_GEMINI_CLI, X_OK), 0)
      << STORK_GEMINI_CLI << " is missing: run scripts/setup (tests/e2e/package.json)";
  testing::TempDir dir, home, server_dir;
  const auto root = dir.path();
  testing::init_repo(root);
  testing::write_project_files(root, "#!/bin/sh\ntest -f gem.txt && echo ok\n");
  testing::write_text(root / ".storkit/work/1_backlog/1_story_gem.md",
                      "---\nname: gem\n---\n\n# gem\n\n## Acceptance Criteria\n\n- [ ] gem.txt "
                      "exists\n");
  testing::git(root, {"add", "-A"});
  testing::git(root, {"commit", "-qm", "project with one item"});
  testing::write_text(
      server_dir.path() / "scenario.json",
      R"([{"text":"Writing the file.","tool_calls":[{"name":"write_file","arguments":{"file_path":"gem.txt","content":"from gemini\n"}}]},
          {"tool_calls":[{"name":"run_shell_command","arguments":{"command":"git add gem.txt && git commit -qm 'gem file'"}}]},
          {"tool_calls":[{"name":"mcp_storkit_check_criterion","arguments":{"story_id":"1_story_gem","index":0}}]},
          {"text":"Done.","usage":{"input":1000,"output":100,"cached":200}}])");
  testing::ScriptedServer server(STORK_SCRIPTED_MODEL_API, server_dir.path() / "scenario.json",
                                 server_dir.path(), {"--format", "gemini"});
  ASSERT_FALSE(server.failed()) << server.error();
  testing::write_text(root / ".storkit/project.toml", gemini_agent_toml(server.base_url()));

  Command command;
  command.argv = {STORK_BINARY, "run", "--pipeline", "1"};
  command.cwd = root;
  command.merge_stderr = true;
  // HOME is empty: nothing of a person's ~/.gemini may reach the run.
  command.set_env = {{"STORK_E2E_GEMINI_KEY", "scripted-gemini-key"},
                     {"HOME", home.path().string()}};
  command.unset_env = {"GEMINI_API_KEY",  "GOOGLE_GEMINI_BASE_URL",
                       "GEMINI_CLI_HOME", "HTTP_PROXY",
                       "HTTPS_PROXY",     "http_proxy",
                       "https_proxy"};
  auto output = run_command(command);
  ASSERT_TRUE(output.ok());
  const auto& out = output.value().out;
  ASSERT_TRUE(output.value().succeeded()) << out;

  StageStore store(root);
  auto located = store.locate("1_story_gem");
  ASSERT_TRUE(located.ok());
  EXPECT_EQ(located.value().stage, Stage::Done) << out;
  EXPECT_EQ(testing::git(root, {"show", "main:gem.txt"}), "from gemini\n");
  auto item = store.load("1_story_gem");
  ASSERT_TRUE(item.ok());
  ASSERT_EQ(item.value().criteria().size(), 1u);
  EXPECT_TRUE(item.value().criteria()[0].checked) << "the MCP tool call did not reach stork\n"
                                                  << out;

  // Every request went to the agent's model with the agent's key, and the CLI offered the
  // model stork's MCP tools next to its own.
  const auto requests = server.request_lines();
  ASSERT_EQ(requests.size(), 4u) << out;
  for (const auto& line : requests) {
    const auto request = json::parse(line).as_object();
    EXPECT_THAT(std::string(request.at("path").as_string()),
                HasSubstr("/v1beta/models/gemini-2.5-flash:streamGenerateContent"));
    EXPECT_TRUE(request.at("auth").as_bool());
  }
  EXPECT_THAT(requests[0], HasSubstr("\"mcp_storkit_check_criterion\""));
  EXPECT_THAT(requests[0], HasSubstr("\"write_file\""));
  // The settings the run was given live under the item's own logs, and the person's HOME was
  // left alone.
  const auto settings =
      testing::read_text(root /
                         ".storkit/logs/1_story_gem/home/gemini-cli/coder-gemini/.gemini/"
                         "settings.json");
  EXPECT_THAT(settings, HasSubstr("\"selectedType\":\"gemini-api-key\""));
  EXPECT_THAT(settings, HasSubstr("\"httpUrl\":\"http://127.0.0.1:"));
  EXPECT_FALSE(std::filesystem::exists(home.path() / ".gemini"));
}

}  // namespace
}  // namespace stork
