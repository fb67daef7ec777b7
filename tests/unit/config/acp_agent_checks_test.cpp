// The Gemini CLI as an `acp` agent without --skip-trust: a warning at the agent naming the flag
// (the CLI starts no MCP server in a folder it does not trust); nothing for other agents. The
// known ACP agents by their command line, and base_url / api_key_env on an agent stork does not
// know: a warning that they are not passed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/acp_known_agents.hpp"
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

TEST(AcpAgentChecks, NpxOfTheGeminiCliPackageIsTheGeminiCliToo) {
  const auto warnings =
      warnings_of("command = \"npx\"\nargs = [\"-y\", \"@google/gemini-cli\", \"--acp\"]\n");
  ASSERT_EQ(warnings.size(), 1u) << render_all(warnings);
  EXPECT_THAT(warnings[0].message, HasSubstr("\"--skip-trust\""));
}

AgentConfig acp_agent(std::string command, std::vector<std::string> args = {}) {
  AgentConfig agent;
  agent.runtime = "acp";
  agent.command = std::move(command);
  agent.args = std::move(args);
  return agent;
}

TEST(KnownAcpAgents, RecognisedByCommandOrPackageWithTheirVariables) {
  const auto gemini = known_acp_agent(acp_agent("/opt/node/bin/gemini", {"--acp"}));
  ASSERT_TRUE(gemini);
  EXPECT_EQ(gemini->base_url_env, "GOOGLE_GEMINI_BASE_URL");
  EXPECT_EQ(gemini->api_key_env, "GEMINI_API_KEY");
  const auto claude =
      known_acp_agent(acp_agent("npx", {"-y", "@zed-industries/claude-code-acp@0.5.1"}));
  ASSERT_TRUE(claude);
  EXPECT_EQ(claude->base_url_env, "ANTHROPIC_BASE_URL");
  EXPECT_EQ(claude->api_key_env, "ANTHROPIC_API_KEY");
  const auto codex = known_acp_agent(acp_agent("codex-acp"));
  ASSERT_TRUE(codex);
  EXPECT_EQ(codex->api_key_env, "OPENAI_API_KEY");
  // A model name or a flag that looks like a program is not the program.
  EXPECT_FALSE(known_acp_agent(acp_agent("my-agent", {"-m", "gemini-2.5-flash", "--gemini"})));
  EXPECT_FALSE(known_acp_agent(acp_agent("/usr/bin/gemini-wrapper")));
}

TEST(AcpAgentChecks, BaseUrlAndKeyOnAnUnknownAgentAreWarningsThatTheyAreNotPassed) {
  const auto warnings = warnings_of(
      "command = \"opencode\"\nargs = [\"acp\"]\nbase_url = \"http://127.0.0.1:8080/v1\"\n"
      "api_key_env = \"LOCAL_KEY\"\n");
  ASSERT_EQ(warnings.size(), 2u) << render_all(warnings);
  EXPECT_EQ(warnings[0].field, "agent[0].base_url");
  EXPECT_EQ(warnings[1].field, "agent[0].api_key_env");
  EXPECT_THAT(warnings[0].message, HasSubstr("is not passed to this ACP agent"));
  // On a known agent they are used, so nothing is said.
  EXPECT_TRUE(warnings_of("command = \"gemini\"\nargs = [\"--acp\", \"--skip-trust\"]\n"
                          "base_url = \"http://127.0.0.1:8080\"\napi_key_env = \"K\"\n")
                  .empty());
}

}  // namespace
}  // namespace stork
