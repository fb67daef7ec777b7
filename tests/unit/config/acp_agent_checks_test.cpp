// The Gemini CLI as an `acp` agent without --skip-trust: a warning at the agent naming the flag
// (the CLI starts no MCP server in a folder it does not trust); nothing for other agents.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

std::vector<Diagnostic> warnings_of(const std::string& agent_lines) {
  auto result = parse_project_config(
      "[[agent]]\nname = \"coder-gemini-acp\"\nruntime = \"acp\"\n" + agent_lines, "project.toml");
  EXPECT_TRUE(result.ok()) << render_all(result.error());
  return result.ok() ? result->warnings : std::vector<Diagnostic>{};
}

TEST(AcpAgentChecks, GeminiInAcpModeWithoutSkipTrustIsAWarningNamingTheFlag) {
  const auto warnings =
      warnings_of("command = \"/opt/node/bin/gemini\"\nargs = [\"--acp\", \"-m\", \"x\"]\n");
  ASSERT_EQ(warnings.size(), 1u) << render_all(warnings);
  EXPECT_EQ(warnings[0].field, "agent[0].args");
  EXPECT_EQ(warnings[0].severity, Diagnostic::Severity::Warning);
  EXPECT_THAT(warnings[0].message, HasSubstr("\"--skip-trust\""));
  EXPECT_THAT(warnings[0].message, HasSubstr("agent 'coder-gemini-acp'"));
}

TEST(AcpAgentChecks, GeminiWithSkipTrustAndOtherAgentsAreQuiet) {
  EXPECT_TRUE(warnings_of("command = \"gemini\"\nargs = [\"--acp\", \"--skip-trust\"]\n").empty());
  EXPECT_TRUE(warnings_of("command = \"claude-code-acp\"\n").empty());
  EXPECT_TRUE(warnings_of("command = \"/usr/bin/gemini-wrapper\"\nargs = [\"--acp\"]\n").empty());
}

}  // namespace
}  // namespace stork
