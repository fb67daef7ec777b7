#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_test_support.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::stork;

TEST(ConfigCheck, PrintsTheResolvedConfigurationWithDefaults) {
  testing::TempDir dir;
  testing::make_storkit_fixture_repo(dir.path());
  auto run = stork(dir.path(), {"config", "check"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("is valid; resolved configuration"));
  EXPECT_THAT(run.out, HasSubstr("default_qa = 'agent'"));
  EXPECT_THAT(run.out, HasSubstr("max_coders = 2"));
  EXPECT_THAT(run.out, HasSubstr("# base_branch: unset (detected from HEAD)"));
  EXPECT_THAT(run.out, HasSubstr("name = 'coder-1'\nstage = 'coder'  # inferred from the name"));
  EXPECT_THAT(run.out, HasSubstr("inactivity_timeout_secs = 300"));  // a default filled in
  EXPECT_THAT(run.out, HasSubstr("setup = ['pnpm install']"));
  EXPECT_EQ(run.err, "");
}

TEST(ConfigCheck, ResolvedOutputIsItselfAValidEquivalentProjectToml) {
  testing::TempDir dir;
  testing::make_storkit_fixture_repo(dir.path());
  testing::write_text(
      dir / ".storkit/project.toml",
      "[[agent]]\nname = \"a\"\nprompt = \"tab\\there \\\"q\\\" \\u0001 {{story_id}}\"\n");
  auto first = stork(dir.path(), {"config", "check"});
  ASSERT_EQ(first.code, 0) << first.err;
  testing::write_text(dir / ".storkit/project.toml", first.out);
  auto second = stork(dir.path(), {"config", "check"});
  ASSERT_EQ(second.code, 0) << second.err << "\n" << first.out;
  // Equivalent, not identical: the stage is now written, so it is no longer inferred.
  std::string expected = first.out;
  const std::string note = "  # inferred from the name";
  expected.erase(expected.find(note), note.size());
  EXPECT_EQ(second.out, expected);
  EXPECT_EQ(second.err, "");
}

TEST(ConfigCheck, ApiAgentsAndPricingArePrintedAndRoundTrip) {
  testing::TempDir dir;
  testing::make_storkit_fixture_repo(dir.path());
  testing::write_text(dir / ".storkit/project.toml",
                      "[[agent]]\nname = \"coder-gpt\"\nruntime = \"openai\"\nmodel = \"gpt-4.1\"\n"
                      "[[agent]]\nname = \"coder-local\"\nruntime = \"openai\"\nmodel = \"q\"\n"
                      "base_url = \"http://127.0.0.1:11434/v1\"\napi_key_env = \"LOCAL_KEY\"\n"
                      "[pricing.\"q\"]\ninput_per_mtok = 0.25\noutput_per_mtok = 1.5\n");
  auto first = stork(dir.path(), {"config", "check"});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("# base_url: unset (the provider's public endpoint)"));
  EXPECT_THAT(first.out, HasSubstr("# api_key_env: unset (OPENAI_API_KEY)"));
  EXPECT_THAT(first.out, HasSubstr("base_url = 'http://127.0.0.1:11434/v1'"));
  EXPECT_THAT(first.out, HasSubstr("[pricing.'q']\ninput_per_mtok = 0.25\noutput_per_mtok = 1.5"));
  testing::write_text(dir / ".storkit/project.toml", first.out);
  auto second = stork(dir.path(), {"config", "check"});
  ASSERT_EQ(second.code, 0) << second.err << "\n" << first.out;
  std::string expected = first.out;
  const std::string note = "  # inferred from the name";
  for (auto at = expected.find(note); at != std::string::npos; at = expected.find(note))
    expected.erase(at, note.size());
  EXPECT_EQ(second.out, expected);
}

TEST(ConfigCheck, ErrorsAreListedWithPositionsAndExit1) {
  testing::TempDir dir;
  testing::make_storkit_fixture_repo(dir.path());
  testing::write_text(dir / ".storkit/project.toml",
                      "max_coders = 2\n\n[[agent]]\nname = \"coder-1\"\n\n[[agent]]\nname = "
                      "\"coder-1\"\nmax_turns = 0\n");
  auto run = stork(dir.path(), {"config", "check"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(
      run.err,
      HasSubstr("project.toml:6:1: error: agent 'coder-1' defined twice (first at line 3)"));
  EXPECT_THAT(run.err, HasSubstr("project.toml:8:13: error: agent 'coder-1': 'agent[1].max_turns' "
                                 "must be positive, got 0"));
  EXPECT_EQ(run.out, "");
}

TEST(ConfigCheck, UnknownKeysWarnButPass) {
  testing::TempDir dir;
  testing::make_storkit_fixture_repo(dir.path());
  testing::write_text(dir / ".storkit/project.toml", "max_coders = 2\nshiny_new_option = true\n");
  auto run = stork(dir.path(), {"config", "check"});
  EXPECT_EQ(run.code, 0);
  EXPECT_THAT(run.err,
              HasSubstr("project.toml:2:1: warning: unknown key 'shiny_new_option' is ignored"));
}

TEST(ConfigCheck, WithoutAProjectIsExit2) {
  testing::TempDir dir;
  auto run = stork(dir.path(), {"config", "check"});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("no .storkit/ directory"));
  EXPECT_THAT(run.err, HasSubstr("stork init"));
}

TEST(ConfigCheck, ProjectFlagPointsElsewhere) {
  testing::TempDir dir, elsewhere;
  testing::make_storkit_fixture_repo(dir.path());
  auto run = stork(elsewhere.path(), {"--project", dir.path().string(), "config", "check"});
  EXPECT_EQ(run.code, 0) << run.err;
  auto missing = stork(elsewhere.path(), {"--project", "nowhere", "config", "check"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--project nowhere"));
}

// Issue 15: the gate and the archive settings are part of what `config check` resolves.
TEST(ConfigCheck, PrintsTheGateAndArchiveSettingsAsWritten) {
  testing::TempDir dir;
  testing::make_storkit_fixture_repo(dir.path());
  const auto toml = dir / ".storkit/project.toml";
  testing::write_text(toml,
                      "gate_command = \"script/check --fast\"\ngate_timeout_secs = 90\n"
                      "archive_after_hours = 12.5\n" +
                          testing::read_text(toml));
  auto run = stork(dir.path(), {"config", "check"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("gate_command = 'script/check --fast'\n"));
  EXPECT_THAT(run.out, HasSubstr("gate_timeout_secs = 90\n"));
  EXPECT_THAT(run.out, HasSubstr("archive_after_hours = 12.5\n"));
  EXPECT_THAT(run.err, Not(HasSubstr("doctor:")));  // only --deep runs the doctor
}

// A project the doctor passes: a command agent, the gate committed executable, an identity.
void make_ready_project(const std::filesystem::path& root) {
  testing::init_repo(root);
  testing::write_project_files(root, "#!/bin/sh\nexit 0\n");
  testing::write_text(root / ".storkit/project.toml",
                      "[[agent]]\nname = \"coder-1\"\nruntime = \"command\"\n"
                      "command = \"/bin/sh\"\nargs = [\"-c\", \"true\"]\n");
  testing::git(root, {"add", "-A"});
  testing::git(root, {"commit", "-qm", "storkit: setup"});
}

TEST(ConfigCheck, DeepRunsTheDoctorAndFailsOnItsErrors) {
  testing::TempDir dir;
  make_ready_project(dir.path());
  auto ready = stork(dir.path(), {"config", "check", "--deep"});
  EXPECT_EQ(ready.code, 0) << ready.err;
  EXPECT_THAT(ready.out, HasSubstr("is valid; resolved configuration"));
  EXPECT_THAT(ready.err, HasSubstr("script/test is committed and executable"));
  EXPECT_THAT(ready.err, HasSubstr("doctor: ready (0 errors"));

  // A valid file, so plain `config check` passes, but a base branch git does not have.
  const auto toml = dir / ".storkit/project.toml";
  testing::write_text(toml, "base_branch = \"trunk\"\n" + testing::read_text(toml));
  testing::git(dir.path(), {"commit", "-qam", "base branch"});
  EXPECT_EQ(stork(dir.path(), {"config", "check"}).code, 0);
  auto broken = stork(dir.path(), {"config", "check", "--deep"});
  EXPECT_EQ(broken.code, 1);
  EXPECT_THAT(broken.err, HasSubstr("base branch"));
  EXPECT_THAT(broken.err, HasSubstr("doctor: not ready"));
  EXPECT_THAT(broken.err, HasSubstr("the project is not ready: fix the errors above"));
}

// A codex agent whose CLI is nowhere: the file is valid, and the check says what is missing
// and how to install it; with the CLI where `command` says, no warning.
TEST(ConfigCheck, CodexAgentWithoutItsCliOnThePathIsReported) {
  testing::TempDir dir;
  testing::make_storkit_fixture_repo(dir.path());
  testing::write_text(dir / ".storkit/project.toml",
                      "[[agent]]\nname = \"coder-codex\"\nruntime = \"codex\"\n"
                      "command = \"no-such-codex-cli\"\nbase_url = \"http://127.0.0.1:1/v1\"\n");
  auto missing = stork(dir.path(), {"config", "check"});
  ASSERT_EQ(missing.code, 0) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("agent 'coder-codex' (runtime codex): 'no-such-codex-cli' "
                                     "is not an executable on the PATH"));
  EXPECT_THAT(missing.err, HasSubstr("npm install -g @openai/codex"));
  EXPECT_THAT(missing.out, HasSubstr("runtime = 'codex'"));
  EXPECT_THAT(missing.out, HasSubstr("base_url = 'http://127.0.0.1:1/v1'"));
  EXPECT_THAT(missing.out, HasSubstr("# api_key_env: unset (OPENAI_API_KEY)"));

  testing::write_text(dir / ".storkit/project.toml",
                      "[[agent]]\nname = \"coder-codex\"\nruntime = \"codex\"\n"
                      "command = \"/bin/true\"\n");
  auto present = stork(dir.path(), {"config", "check"});
  ASSERT_EQ(present.code, 0) << present.err;
  EXPECT_EQ(present.err, "");
}

TEST(ConfigCheck, GeminiCliAndAcpAgentsWithoutTheirProgramAreReported) {
  testing::TempDir dir;
  testing::make_storkit_fixture_repo(dir.path());
  testing::write_text(dir / ".storkit/project.toml",
                      "[[agent]]\nname = \"coder-gem\"\nruntime = \"gemini-cli\"\n"
                      "command = \"no-such-gemini\"\n"
                      "[[agent]]\nname = \"coder-acp\"\nruntime = \"acp\"\n"
                      "command = \"no-such-acp-agent\"\n");
  auto missing = stork(dir.path(), {"config", "check"});
  ASSERT_EQ(missing.code, 0) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("agent 'coder-gem' (runtime gemini-cli): 'no-such-gemini' "
                                     "is not an executable on the PATH"));
  EXPECT_THAT(missing.err, HasSubstr("npm install -g @google/gemini-cli"));
  EXPECT_THAT(missing.err, HasSubstr("agent 'coder-acp' (runtime acp): 'no-such-acp-agent' is "
                                     "not an executable on the PATH"));

  testing::write_text(dir / ".storkit/project.toml",
                      "[[agent]]\nname = \"coder-acp\"\nruntime = \"acp\"\n"
                      "command = \"/bin/true\"\n");
  auto present = stork(dir.path(), {"config", "check"});
  ASSERT_EQ(present.code, 0) << present.err;
  EXPECT_EQ(present.err, "");
}

}  // namespace
}  // namespace stork
