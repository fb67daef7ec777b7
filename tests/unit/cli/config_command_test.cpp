#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_test_support.hpp"
#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;
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

}  // namespace
}  // namespace stork
