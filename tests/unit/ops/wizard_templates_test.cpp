// The wizard's pure parts: templates from what the repository shows, the roster from the
// machine's CLIs and keys, an agent's answer as a draft, and a table step's draft merged into
// project.toml (other tables kept, foreign keys refused, the result validated).
#include "ops/wizard_templates.hpp"

#include <gtest/gtest.h>

#include "ops/wizard_files.hpp"

namespace stork::ops {
namespace {

const RuntimeSupported kAll = [](const std::string&) { return true; };

TEST(WizardRoster, ProposesRuntimesForTheClisAndKeysFound) {
  RosterEnvironment env{{"claude"}, {"OPENAI_API_KEY"}};
  const auto draft = template_draft(WizardStep::Agents, {}, env, kAll, "");
  EXPECT_NE(draft.find("runtime = \"claude-code\""), std::string::npos) << draft;
  EXPECT_NE(draft.find("runtime = \"openai\""), std::string::npos) << draft;
  EXPECT_EQ(draft.find("runtime = \"gemini\""), std::string::npos) << draft;
  auto merged = confirmed_content(WizardStep::Agents, std::string("max_coders = 2\n"), draft);
  ASSERT_TRUE(merged.ok()) << merged.error();
}

TEST(WizardRoster, SaysWhenAFoundCliHasNoRuntimeInThisBuild) {
  RosterEnvironment env{{"codex"}, {}};
  const RuntimeSupported none_but_claude = [](const std::string& runtime) {
    return runtime == "claude-code";
  };
  const auto draft = template_draft(WizardStep::Agents, {}, env, none_but_claude, "");
  EXPECT_NE(draft.find("codex is on the PATH, but this stork has no 'codex' runtime"),
            std::string::npos)
      << draft;
}

TEST(WizardTemplates, GateRunsTheGuessedTestCommand) {
  ProjectFacts facts;
  facts.markers = {"Cargo.toml"};
  facts.test_command = "cargo test";
  const auto draft = template_draft(WizardStep::Gate, facts, {}, kAll, "");
  EXPECT_EQ(draft.rfind("#!/usr/bin/env bash\n", 0), 0u);
  EXPECT_NE(draft.find("\ncargo test\n"), std::string::npos);
}

TEST(WizardTemplates, KeepRetryFeedbackForThePerson) {
  const auto draft = template_draft(WizardStep::Context, {}, {}, kAll, "say who pays");
  EXPECT_NE(draft.find("> say who pays"), std::string::npos) << draft;
}

TEST(WizardAnswer, UnwrapsOneFencedBlock) {
  EXPECT_EQ(draft_from_answer("```markdown\n# Title\n\nText\n```\n"), "# Title\n\nText\n");
  EXPECT_EQ(draft_from_answer("  # Title\n"), "# Title\n");
  EXPECT_EQ(draft_from_answer("```a\nx\n```\nand\n```b\ny\n```"),
            "```a\nx\n```\nand\n```b\ny\n```\n");
}

TEST(WizardFiles, ReplacesOnlyTheStepsTables) {
  const std::string toml =
      "max_coders = 2\n\n[[component]]\nname = \"old\"\nsetup = [\"make\"]\n\n"
      "[[agent]]\nname = \"coder-1\"\nstage = \"coder\"\n";
  auto merged = confirmed_content(WizardStep::Components, toml,
                                  "[[component]]\nname = \"web\"\npath = \"web\"\n");
  ASSERT_TRUE(merged.ok()) << merged.error();
  EXPECT_EQ(merged.value().find("\"old\""), std::string::npos);
  EXPECT_NE(merged.value().find("name = \"coder-1\""), std::string::npos);
  EXPECT_NE(merged.value().find("name = \"web\""), std::string::npos);
}

TEST(WizardFiles, RefusesADraftWithOtherKeysOrAnInvalidResult) {
  auto foreign = confirmed_content(WizardStep::Components, std::string(), "max_coders = 9\n");
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().find("line 1"), std::string::npos) << foreign.error();
  auto broken = confirmed_content(WizardStep::Agents, std::string(),
                                  "[[agent]]\nname = \"a\"\nmax_turns = -1\n");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().find("project.toml"), std::string::npos) << broken.error();
}

}  // namespace
}  // namespace stork::ops
