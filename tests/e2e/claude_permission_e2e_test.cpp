// permission_mode = "ask" with the real Claude Code CLI under `stork serve`: each Bash command
// the scripted model asks for is held until a person answers through `stork permission`
// (allow --always, then the identical command passes by the saved rule), a denial's message
// reaches the model, and an unanswered request times out as a denial; the REST adapter's
// refusals (unknown id 404, answered or timed out 409, malformed body 400) are pinned too.
#include <thread>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../integration/http_probe.hpp"
#include "../integration/serve_process.hpp"
#include "scripted_server.hpp"
#include "support/eventually.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using testing::eventually;

namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

class ClaudePermissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(STORK_CLAUDE_CLI))
        << STORK_CLAUDE_CLI << " is missing: run scripts/setup";
    testing::init_repo(root());
    testing::write_project_files(root(), "#!/bin/sh\nexit 1\n");
    // Long enough for the test to find a held request and answer it through two CLI calls on
    // a loaded 2-core machine (4 s was not: a request timed out before its denial reached
    // it); step 4 waits this long for nobody's answer.
    testing::write_text(root() / ".storkit/project.toml",
                        "permission_timeout_secs = 15\n"
                        "[[agent]]\nname = \"coder-1\"\nstage = \"coder\"\n"
                        "runtime = \"claude-code\"\ncommand = '" STORK_CLAUDE_CLI
                        "'\npermission_mode = \"ask\"\nmodel = \"claude-sonnet-4-5\"\n"
                        "inactivity_timeout_secs = 60\n");
    testing::git(root(), {"add", "-A"});
    testing::git(root(), {"commit", "-qm", "project"});
  }

  std::filesystem::path root() const { return dir_.path(); }
  std::filesystem::path worktree() const { return root() / ".storkit/worktrees/1_story_ask"; }

  // The pending requests, as `stork permission list --json` prints them.
  json::array pending(unsigned short port) const {
    auto listed = testing::run_stork(
        {"permission", "list", "--json", "--port", std::to_string(port)}, root());
    if (listed.exit_code != 0) return {};
    return json::parse(listed.out).at("permissions").as_array();
  }

  // Waits for the one pending request and returns it.
  json::object next_request(unsigned short port) const {
    json::array found;
    eventually(
        [&] {
          found = pending(port);
          return !found.empty();
        },
        std::chrono::seconds(60));
    return found.empty() ? json::object{} : found.front().as_object();
  }

  testing::TempDir dir_, home_, server_dir_, logs_;
};

TEST_F(ClaudePermissionTest, AskModeHoldsEachRequestForAPersonThroughTheCli) {
  testing::write_text(root() / ".storkit/work/2_current/1_story_ask.md",
                      "---\nname: Ask\n---\n\n# Story 1: Ask\n");
  testing::ScriptedServer model(
      STORK_SCRIPTED_ANTHROPIC,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "claude/scenarios/permission_ask.json",
      server_dir_.path());
  ASSERT_FALSE(model.failed()) << model.error();
  testing::ServeProcess serve({"serve", "--port", "0"}, root(), logs_.path(),
                              testing::claude_cli_env(model, home_.path()));
  ASSERT_TRUE(serve.wait_listening()) << serve.output();
  const auto port = std::to_string(serve.port());
  auto requests = [&] { return model.requests_text(); };

  // 1. Held: the request names the agent, the item, the tool and the command; nothing ran.
  auto first = next_request(serve.port());
  ASSERT_FALSE(first.empty()) << serve.output() << "\nrequests:\n" << requests();
  EXPECT_EQ(first.at("agent"), "coder-1");
  EXPECT_EQ(first.at("story_id"), "1_story_ask");
  EXPECT_EQ(first.at("tool_name"), "Bash");
  EXPECT_EQ(first.at("input").at("command"), "echo one >> log.txt");
  EXPECT_FALSE(std::filesystem::exists(worktree() / "log.txt"));
  const std::string first_id(first.at("id").as_string());
  auto allowed =
      testing::run_stork({"permission", "allow", first_id, "--always", "--port", port}, root());
  ASSERT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_THAT(allowed.out, HasSubstr("allowed " + first_id));
  EXPECT_THAT(testing::read_text(root() / ".storkit/permissions.toml"),
              HasSubstr("command = 'echo one >> log.txt'"));

  // 2. The identical command passes by the saved rule; 3. the next one is held again.
  auto third = next_request(serve.port());
  ASSERT_FALSE(third.empty()) << serve.output();
  EXPECT_EQ(third.at("input").at("command"), "echo two > two.txt");
  EXPECT_EQ(testing::read_text(worktree() / "log.txt"), "one\none\n");
  const std::string third_id(third.at("id").as_string());
  auto denied = testing::run_stork({"permission", "deny", third_id, "--message",
                                    "no two today, use the fixture", "--port", port},
                                   root());
  ASSERT_EQ(denied.exit_code, 0) << denied.err;
  ASSERT_TRUE(eventually([&] { return requests().find("no two today") != std::string::npos; },
                         std::chrono::seconds(30)))
      << requests();
  EXPECT_FALSE(std::filesystem::exists(worktree() / "two.txt"));

  // Answering twice is a conflict; an unknown id is not found; a bad body names its field.
  auto again = testing::http_call(serve.port(), "POST", "/api/permissions/" + third_id, {},
                                  R"({"decision":"allow"})");
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_THAT(again.body, HasSubstr("already denied"));
  auto unknown = testing::http_call(serve.port(), "POST", "/api/permissions/nosuchid", {},
                                    R"({"decision":"allow"})");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_THAT(unknown.body, HasSubstr("no permission request nosuchid"));
  auto bad = testing::http_call(serve.port(), "POST", "/api/permissions/" + third_id, {},
                                R"({"decision":"maybe"})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_THAT(bad.body, HasSubstr("decision"));
  auto missing = testing::http_call(serve.port(), "POST", "/api/permissions/" + third_id, {},
                                    R"({"always":true})");
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_THAT(missing.body, HasSubstr("decision"));

  // 4. Nobody answers: after permission_timeout_secs the model reads a denial that says so.
  auto fourth = next_request(serve.port());
  ASSERT_FALSE(fourth.empty()) << serve.output();
  const std::string fourth_id(fourth.at("id").as_string());
  ASSERT_TRUE(eventually(
      [&] {
        return requests().find("No one answered this permission request") != std::string::npos;
      },
      std::chrono::seconds(60)))
      << requests();
  EXPECT_FALSE(std::filesystem::exists(worktree() / "three.txt"));
  auto late = testing::http_call(serve.port(), "POST", "/api/permissions/" + fourth_id, {},
                                 R"({"decision":"allow"})");
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_THAT(late.body, HasSubstr("timed out"));

  // Every request and answer is an event of the run. The first run: once it ends the pipeline
  // may already have started the next one, which the listing then names first.
  auto runs =
      json::parse(testing::http_call(serve.port(), "GET", "/api/runs?story=1_story_ask").body);
  std::int64_t run_id = 0;
  for (const auto& listed : runs.at("runs").as_array()) {
    const auto id = listed.at("id").as_int64();
    if (run_id == 0 || id < run_id) run_id = id;
  }
  auto events = testing::http_call(serve.port(), "GET",
                                   "/api/runs/" + std::to_string(run_id) + "/events?limit=1000");
  EXPECT_THAT(events.body, HasSubstr(R"("decided_by":"rule")"));
  EXPECT_THAT(events.body, HasSubstr(R"("decided_by":"person")"));
  EXPECT_THAT(events.body, HasSubstr(R"("decided_by":"timeout")"));
  EXPECT_THAT(events.body, HasSubstr("permission_request"));
  EXPECT_THAT(requests(), Not(HasSubstr("invalid result")));
  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait_exit(std::chrono::seconds(10)), 0) << serve.output();
}

}  // namespace
}  // namespace stork
