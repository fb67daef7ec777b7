// A newcomer's first hour (issue 15), with the real Claude Code CLI against a scripted model:
// a fresh repository, `stork init`'s default roster unchanged (the CLI is found on the PATH,
// as a person installs it), a gate, one item: the coder's compound Bash command (write, add,
// commit) runs unattended and the item merges. And without a git identity, `stork doctor`
// and `stork serve` name the problem before any run.
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../integration/serve_process.hpp"
#include "scripted_server.hpp"
#include "support/eventually.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using testing::eventually;

using ::testing::HasSubstr;

class FirstHour : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(STORK_CLAUDE_CLI))
        << STORK_CLAUDE_CLI << " is missing: run scripts/setup";
    testing::init_repo(root());
  }

  std::filesystem::path root() const { return dir_.path(); }

  // What a person's shell has: `claude` on the PATH, a home of their own.
  std::vector<std::pair<std::string, std::string>> person_env(const std::string& model_url) {
    const auto cli_dir = std::filesystem::path(STORK_CLAUDE_CLI).parent_path().string();
    const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe)
    return {{"PATH", cli_dir + ":" + (path != nullptr ? path : "/usr/bin:/bin")},
            {"HOME", home_.path().string()},
            {"GIT_CONFIG_NOSYSTEM", "1"},
            {"ANTHROPIC_BASE_URL", model_url},
            {"ANTHROPIC_API_KEY", "sk-ant-scripted-test"},
            {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"},
            {"CLAUDE_CODE_MAX_RETRIES", "0"},
            {"STORK_SKIP_DOCTOR", "0"}};  // the doctor runs, as for anyone
  }

  void init_project() {
    auto init = testing::run_stork({"init"}, root());
    ASSERT_EQ(init.exit_code, 0) << init.err;
    // The person's one job besides committing: a gate that says whether the work is right.
    testing::write_text(root() / "script/test", "#!/bin/sh\ntest -f hello.txt\n");
    std::filesystem::permissions(root() / "script/test", std::filesystem::perms::owner_all);
    testing::git(root(), {"add", "-A"});
    testing::git(root(), {"commit", "-qm", "stork project"});
  }

  testing::TempDir dir_, home_, server_dir_, logs_;
};

TEST_F(FirstHour, DefaultRosterMergesTheFirstItemWithTheRealCli) {
  init_project();
  testing::ScriptedServer model(
      STORK_SCRIPTED_ANTHROPIC,
      std::filesystem::path(STORK_TEST_DATA_DIR) / "claude/scenarios/first_hour.json",
      server_dir_.path());
  ASSERT_FALSE(model.failed()) << model.error();
  const auto env = person_env(model.base_url());
  auto doctor = testing::run_stork({"doctor"}, root(), env);
  ASSERT_EQ(doctor.exit_code, 0) << doctor.out << doctor.err;
  EXPECT_THAT(doctor.out, HasSubstr("doctor: ready"));

  testing::ServeProcess serve({"serve", "--port", "0"}, root(), logs_.path(), env);
  ASSERT_TRUE(serve.wait_listening(std::chrono::seconds(60))) << serve.output();
  const auto port = std::to_string(serve.port());
  auto created = testing::run_stork(
      {"story", "new", "--name", "Say hello", "--criterion", "hello.txt exists"}, root(), env);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  auto started = testing::run_stork({"agent", "start", "1", "--port", port}, root(), env);
  ASSERT_EQ(started.exit_code, 0) << started.err;

  const bool merged = eventually(
      [&] { return std::filesystem::exists(root() / ".storkit/work/5_done/1_story_say_hello.md"); },
      std::chrono::seconds(180));
  std::string requests;
  for (const auto& line : model.request_lines())
    requests += line + "\n";
  ASSERT_TRUE(merged) << serve.output() << "\nrequests:\n" << requests;
  EXPECT_EQ(testing::git(root(), {"show", "main:hello.txt"}), "hello from the first hour\n");
  // The roster of `stork init` has sandbox = "bwrap": the coder ran under bubblewrap with the
  // item's own HOME, where Claude Code kept its files, and still reached the scripted model
  // and stork's MCP server (the merge above needs both).
  const auto sandbox_home = root() / ".storkit/logs/1_story_say_hello/home";
  EXPECT_TRUE(std::filesystem::exists(sandbox_home) && !std::filesystem::is_empty(sandbox_home))
      << sandbox_home;
  // The done commit (made just after the file moves) leaves nothing of the run for the
  // person's own `git commit -am` to sweep up.
  EXPECT_TRUE(eventually(
      [&] {
        return testing::git(root(), {"status", "--porcelain", "--", ".storkit/work"}).empty();
      },
      std::chrono::seconds(20)))
      << testing::git(root(), {"status", "--porcelain"});
}

TEST_F(FirstHour, NoGitIdentityIsNamedByTheDoctorBeforeAnyRun) {
  init_project();
  testing::git(root(), {"config", "--unset", "user.name"});
  testing::git(root(), {"config", "--unset", "user.email"});
  const auto env = person_env("http://127.0.0.1:9/");
  auto doctor = testing::run_stork({"doctor"}, root(), env);
  EXPECT_EQ(doctor.exit_code, 1) << doctor.out;
  EXPECT_THAT(doctor.out, HasSubstr("git identity: no git user.name/user.email"));
  EXPECT_THAT(doctor.out, HasSubstr("git config --global user.name"));
  auto serve = testing::run_stork({"serve", "--port", "0"}, root(), env);
  EXPECT_EQ(serve.exit_code, 1) << serve.err;
  EXPECT_THAT(serve.err, HasSubstr("git identity"));
  EXPECT_FALSE(std::filesystem::exists(root() / ".storkit/worktrees/1_story_say_hello"));
}

}  // namespace
}  // namespace stork
