// The `codex` runtime under `stork serve` with the real Codex CLI (STORK_CODEX_CLI) against the
// scripted Responses API: the agent writes and commits a file with exec_command, ticks the
// item's criterion with stork's check_criterion and reports with report_completion, both
// through the MCP server stork names in the run's config.toml, and the item passes its gate
// and merges. The tools reach the model in its first request's tool list (the namespace
// mcp__storkit), not only through the CLI's tool_search.
#include <csignal>

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
using ::testing::Contains;
using testing::eventually;
using ::testing::HasSubstr;

constexpr const char* kKeyVariable = "STORK_E2E_CODEX_KEY";

bool is_text(const json::value& value, std::string_view text) {
  return value.is_string() && value.get_string() == text;
}

// The bodies of the CLI's POST /v1/responses requests, in order.
std::vector<json::object> model_requests(const testing::ScriptedServer& model) {
  std::vector<json::object> found;
  for (const auto& line : model.request_lines()) {
    auto request = json::parse(line).as_object();
    if (request.at("path").as_string() == "/v1/responses" && request.at("body").is_object())
      found.push_back(request.at("body").as_object());
  }
  return found;
}

// The names of the functions of namespace `name` in a request's tool list.
std::vector<std::string> namespace_functions(const json::object& body, std::string_view name) {
  std::vector<std::string> functions;
  for (const auto& tool : body.at("tools").as_array()) {
    const auto& object = tool.as_object();
    if (!is_text(object.at("type"), "namespace") || !is_text(object.at("name"), name)) continue;
    for (const auto& function : object.at("tools").as_array())
      functions.emplace_back(function.at("name").as_string());
  }
  return functions;
}

// What the CLI sent back to the model for the tool call `call_id` (empty if nothing yet).
std::string call_output(const std::vector<json::object>& requests, std::string_view call_id) {
  for (const auto& body : requests) {
    for (const auto& item : body.at("input").as_array()) {
      const auto& object = item.as_object();
      if (!is_text(object.at("type"), "function_call_output") ||
          !is_text(object.at("call_id"), call_id))
        continue;
      const auto& output = object.at("output");
      return output.is_string() ? std::string(output.as_string()) : json::serialize(output);
    }
  }
  return {};
}

class CodexServe : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::access(STORK_CODEX_CLI, X_OK), 0)
        << "the Codex CLI is missing at " << STORK_CODEX_CLI << ": run scripts/setup";
    testing::init_repo(root());
  }
  std::filesystem::path root() const { return dir_.path(); }

  void write_project(const testing::ScriptedServer& model, const std::string& gate) {
    testing::write_project_files(root(), gate);
    testing::write_text(
        root() / ".storkit/project.toml",
        "[[agent]]\nname = \"coder-codex\"\nstage = \"coder\"\nruntime = \"codex\"\n"
        "command = '" STORK_CODEX_CLI
        "'\nargs = [\"--dangerously-bypass-approvals-and-sandbox\"]\n"
        "model = \"gpt-5.5\"\nbase_url = \"" +
            model.base_url() + "/v1\"\napi_key_env = \"" + kKeyVariable +
            "\"\ninactivity_timeout_secs = 60\n");
    testing::git(root(), {"add", "-A"});
    testing::git(root(), {"commit", "-qm", "project"});
  }

  // An empty HOME keeps this machine's shell profile out of the agent's login shells (see
  // codex_pool_test.cpp); git finds its identity in the repository's own config.
  std::unique_ptr<testing::ServeProcess> serve() {
    return std::make_unique<testing::ServeProcess>(
        std::vector<std::string>{"serve", "--port", "0"}, root(), logs_.path(),
        std::vector<std::pair<std::string, std::string>>{{"HOME", home_.path().string()},
                                                         {kKeyVariable, "sk-scripted-codex"}});
  }

  testing::TempDir dir_, home_, server_dir_, logs_;
};

TEST_F(CodexServe, AgentCommitsCallsStorkMcpToolsAndTheItemMerges) {
  testing::ScriptedServer model(
      STORK_SCRIPTED_MODEL_API,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "codex/scenarios/serve_mcp_merge.json",
      server_dir_.path(), {"--format", "responses"});
  ASSERT_FALSE(model.failed()) << model.error();
  write_project(model, "#!/bin/sh\ntest -f codex.txt && echo gate ok\n");
  testing::write_text(root() / ".storkit/work/2_current/1_story_codex.md",
                      "---\nname: Codex\n---\n\n# Story 1: Codex\n\n## Acceptance Criteria\n\n"
                      "- [ ] codex.txt holds the words of the Codex agent\n");
  auto server = serve();
  ASSERT_TRUE(server->wait_listening()) << server->output();

  const auto done = root() / ".storkit/work/5_done/1_story_codex.md";
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(done); }, std::chrono::seconds(90)))
      << server->output() << "\nrequests:\n"
      << model.requests_text();
  EXPECT_EQ(testing::git(root(), {"show", "main:codex.txt"}), "written by Codex\n");

  // The item may merge before the CLI sends report_completion's answer on to the model.
  std::vector<json::object> requests;
  ASSERT_TRUE(eventually(
      [&] {
        requests = model_requests(model);
        return !call_output(requests, "call_report").empty();
      },
      std::chrono::seconds(30)))
      << server->output() << "\nrequests:\n"
      << model.requests_text();
  // stork's tools are in the first request's tool list: the model needs no tool_search.
  const auto listed = namespace_functions(requests.front(), "mcp__storkit");
  EXPECT_THAT(listed, Contains("report_completion")) << model.requests_text();
  EXPECT_THAT(listed, Contains("check_criterion"));
  // check_criterion ticked the criterion; report_completion ran the gate and passed.
  EXPECT_THAT(call_output(requests, "call_check"), HasSubstr(R"("checked":true)"))
      << model.requests_text();
  EXPECT_THAT(testing::read_text(done),
              HasSubstr("- [x] codex.txt holds the words of the Codex agent"));
  const auto reported = call_output(requests, "call_report");
  EXPECT_THAT(reported, HasSubstr(R"("passed":true)")) << model.requests_text();
  EXPECT_THAT(reported, HasSubstr("gate passed"));
  server->signal(SIGTERM);
  EXPECT_EQ(server->wait_exit(std::chrono::seconds(15)), 0) << server->output();
}

}  // namespace
}  // namespace stork
