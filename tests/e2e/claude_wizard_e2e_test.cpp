// The setup wizard with the real Claude Code CLI as its drafter (`[wizard] agent`), against a
// scripted model, through `stork serve`'s REST API: a draft that fails mid-way (the model
// answers 500; a 400 the CLI absorbs, retrying without a beta header) writes nothing; the context
// is drafted from the README (the CLI reads it with its Read tool), retried with feedback that the
// model's next request carries, and confirmed; the server restarts in the middle and the wizard
// resumes; the gate's draft (a fenced script) runs before it is confirmed; components and the
// roster are skipped; the files and the `storkit: setup` commit are in git.
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

class ClaudeWizard : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(STORK_CLAUDE_CLI))
        << STORK_CLAUDE_CLI << " is missing: run scripts/setup";
    testing::init_repo(root());
    testing::write_text(root() / "README.md",
                        "# Tern\n\nTern counts seabirds from drone photographs.\n");
    testing::git(root(), {"add", "README.md"});
    testing::git(root(), {"commit", "-qm", "readme"});
    auto init = testing::run_stork({"init"}, root());
    ASSERT_EQ(init.exit_code, 0) << init.err;
    const auto toml = root() / ".storkit/project.toml";
    testing::write_text(toml, testing::read_text(toml) + "\n[wizard]\nagent = \"coder-1\"\n");
  }

  std::filesystem::path root() const { return dir_.path(); }

  std::vector<std::pair<std::string, std::string>> env(const std::string& model_url) {
    const auto cli_dir = std::filesystem::path(STORK_CLAUDE_CLI).parent_path().string();
    const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe)
    return {{"PATH", cli_dir + ":" + (path != nullptr ? path : "/usr/bin:/bin")},
            {"HOME", home_.path().string()},
            {"ANTHROPIC_BASE_URL", model_url},
            {"ANTHROPIC_API_KEY", "sk-ant-scripted-test"},
            {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"},
            {"CLAUDE_CODE_MAX_RETRIES", "0"},
            {"STORK_SKIP_DOCTOR", "1"}};
  }

  // A POST (or GET with `body` empty and `method` GET); the answer's status and JSON.
  std::pair<int, json::object> call(unsigned short port, const std::string& method,
                                    const std::string& target, const std::string& body = "{}") {
    auto answer = testing::http_call(port, method, target, {{"Content-Type", "application/json"}},
                                     body, std::chrono::seconds(120));
    boost::system::error_code ec;
    auto value = json::parse(answer.body, ec);
    return {answer.status, !ec && value.is_object() ? value.as_object() : json::object{}};
  }
  static const json::object& step(const json::object& state, const std::string& name) {
    for (const auto& s : state.at("steps").as_array()) {
      if (s.at("step").as_string() == name) return s.as_object();
    }
    throw std::runtime_error("no step " + name);
  }
  static std::string text(const json::object& object, const char* key) {
    return std::string(object.at(key).as_string());
  }

  testing::TempDir dir_, home_, server_dir_, logs_;
};

TEST_F(ClaudeWizard, DraftsFromTheReadmeRetriesWithFeedbackAndCommitsSetup) {
  testing::ScriptedServer model(
      STORK_SCRIPTED_ANTHROPIC,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "claude/scenarios/wizard.json",
      server_dir_.path());
  ASSERT_FALSE(model.failed()) << model.error();
  const auto vars = env(model.base_url());
  const auto context_file = root() / ".storkit/specs/00_CONTEXT.md";
  const auto placeholder = testing::read_text(context_file);
  auto serve = std::make_unique<testing::ServeProcess>(
      std::vector<std::string>{"serve", "--port", "0"}, root(), logs_.path(), vars);
  ASSERT_TRUE(serve->wait_listening(std::chrono::seconds(60))) << serve->output();
  auto port = serve->port();

  // The model fails the first draft: a clear error, the step still pending, nothing written.
  auto [failed_status, failed] = call(port, "POST", "/api/wizard/context/generate");
  EXPECT_EQ(failed_status, 500) << json::serialize(failed);
  EXPECT_THAT(json::serialize(failed), HasSubstr("coder-1"));
  auto [status_code, state] = call(port, "GET", "/api/wizard", "");
  ASSERT_EQ(status_code, 200);
  EXPECT_EQ(text(step(state, "context"), "state"), "pending");
  EXPECT_EQ(testing::read_text(context_file), placeholder);

  auto [drafted_status, drafted] = call(port, "POST", "/api/wizard/context/generate");
  ASSERT_EQ(drafted_status, 200) << json::serialize(drafted) << serve->output();
  EXPECT_EQ(text(step(drafted, "context"), "draft"),
            "# Tern\n\nTern counts seabirds from drone photographs.\n");
  EXPECT_EQ(text(step(drafted, "context"), "source"), "agent:coder-1");
  std::string requests;
  for (const auto& line : model.request_lines())
    requests += line + "\n";
  // The CLI read the README with its Read tool: the result went back to the model.
  EXPECT_THAT(requests, HasSubstr("drone photographs.\\n"));

  auto [retried_status, retried] =
      call(port, "POST", "/api/wizard/context/retry", R"({"feedback":"say who flies the drones"})");
  ASSERT_EQ(retried_status, 200) << json::serialize(retried);
  EXPECT_THAT(text(step(retried, "context"), "draft"), HasSubstr("flown by park rangers"));
  std::string after_retry;
  for (const auto& line : model.request_lines())
    after_retry += line + "\n";
  EXPECT_THAT(after_retry, HasSubstr("say who flies the drones"));  // the model saw it
  auto [confirmed_status, confirmed] = call(port, "POST", "/api/wizard/context/confirm");
  ASSERT_EQ(confirmed_status, 200) << json::serialize(confirmed);
  EXPECT_THAT(testing::read_text(context_file), HasSubstr("flown by park rangers"));
  // A confirmed step is not retried.
  auto [again_status, again] =
      call(port, "POST", "/api/wizard/context/retry", R"({"feedback":"more"})");
  EXPECT_EQ(again_status, 409) << json::serialize(again);

  // A restart in the middle: the wizard resumes where it was.
  serve->signal(SIGTERM);
  ASSERT_EQ(serve->wait_exit(std::chrono::seconds(30)), 0) << serve->output();
  serve = std::make_unique<testing::ServeProcess>(std::vector<std::string>{"serve", "--port", "0"},
                                                  root(), logs_.path(), vars);
  ASSERT_TRUE(serve->wait_listening(std::chrono::seconds(60))) << serve->output();
  port = serve->port();
  auto [resumed_status, resumed] = call(port, "GET", "/api/wizard", "");
  ASSERT_EQ(resumed_status, 200);
  EXPECT_EQ(text(resumed, "current"), "stack");
  EXPECT_EQ(text(step(resumed, "context"), "state"), "confirmed");

  ASSERT_EQ(call(port, "POST", "/api/wizard/stack/generate").first, 200);
  ASSERT_EQ(call(port, "POST", "/api/wizard/stack/confirm").first, 200);
  auto [gate_status, gate] = call(port, "POST", "/api/wizard/gate/generate");
  ASSERT_EQ(gate_status, 200) << json::serialize(gate);
  const auto& gate_run = step(gate, "gate").at("gate").as_object();
  EXPECT_TRUE(gate_run.at("passed").as_bool()) << json::serialize(gate_run);
  EXPECT_THAT(text(gate_run, "output"), HasSubstr("claude-gate-ok"));
  ASSERT_EQ(call(port, "POST", "/api/wizard/gate/confirm").first, 200);
  EXPECT_EQ(testing::read_text(root() / "script/test"), "#!/bin/sh\necho claude-gate-ok\n");
  ASSERT_EQ(call(port, "POST", "/api/wizard/components/skip").first, 200);
  auto [done_status, done] = call(port, "POST", "/api/wizard/agents/skip");
  ASSERT_EQ(done_status, 200) << json::serialize(done);
  EXPECT_TRUE(done.at("finished").as_bool());
  EXPECT_EQ(testing::git(root(), {"log", "-1", "--format=%s"}), "storkit: setup\n");
  const auto files = testing::git(root(), {"show", "--name-only", "--format=", "HEAD"});
  EXPECT_THAT(files, HasSubstr(".storkit/specs/00_CONTEXT.md"));
  EXPECT_THAT(files, HasSubstr("script/test"));
}

}  // namespace
}  // namespace stork
