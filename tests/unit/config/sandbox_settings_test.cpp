// sandbox (project and agent) and sandbox_network in project.toml: read, defaulted to storkit's
// behaviour, and a bad value an error at its file:line naming the valid ones.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

TEST(SandboxSettings, AbsentKeysMeanNoSandbox) {
  auto result = parse_project_config("[[agent]]\nname = \"coder-1\"\n", "project.toml");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->config.sandbox, SandboxKind::None);
  EXPECT_FALSE(result->config.sandbox_network);
  EXPECT_EQ(result->config.agents[0].sandbox, SandboxKind::None);
}

TEST(SandboxSettings, ReadsProjectAndAgentValues) {
  auto result = parse_project_config(
      "sandbox = \"bwrap\"\nsandbox_network = true\n"
      "[[agent]]\nname = \"coder-1\"\nsandbox = \"bwrap\"\n"
      "[[agent]]\nname = \"coder-2\"\nsandbox = \"none\"\n",
      "project.toml");
  ASSERT_TRUE(result.ok()) << render_all(result.error());
  EXPECT_EQ(result->config.sandbox, SandboxKind::Bwrap);
  EXPECT_TRUE(result->config.sandbox_network);
  EXPECT_EQ(result->config.agents[0].sandbox, SandboxKind::Bwrap);
  EXPECT_EQ(result->config.agents[1].sandbox, SandboxKind::None);
  EXPECT_TRUE(result->warnings.empty()) << render_all(result->warnings);
}

TEST(SandboxSettings, UnknownKindIsAnErrorAtItsLine) {
  auto result = parse_project_config("[[agent]]\nname = \"coder-1\"\n\nsandbox = \"docker\"\n",
                                     "project.toml");
  ASSERT_FALSE(result.ok());
  const auto& error = result.error().front();
  EXPECT_EQ(error.field, "agent[0].sandbox");
  EXPECT_EQ(error.line, 4);
  EXPECT_THAT(error.message, HasSubstr("'docker'"));
  EXPECT_THAT(error.message, HasSubstr("bwrap or none"));
  auto network = parse_project_config("sandbox_network = \"yes\"\n", "project.toml");
  ASSERT_FALSE(network.ok());
  EXPECT_EQ(network.error().front().field, "sandbox_network");
}

TEST(SandboxSettings, AgentSandboxOnAnApiRuntimeIsAWarning) {
  auto result = parse_project_config(
      "[[agent]]\nname = \"c\"\nruntime = \"openai\"\nsandbox = \"bwrap\"\n", "project.toml");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->warnings.size(), 1U);
  EXPECT_THAT(result->warnings[0].message, HasSubstr("project's 'sandbox'"));
}

// The CLI runtimes start a process of their own, which runs under the sandbox: no warning.
TEST(SandboxSettings, AgentSandboxOnACliRuntimeIsQuiet) {
  for (const char* runtime : {"codex", "gemini-cli"}) {
    auto result = parse_project_config(std::string("[[agent]]\nname = \"c\"\nruntime = \"") +
                                           runtime + "\"\nsandbox = \"bwrap\"\n",
                                       "project.toml");
    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(result->warnings.empty()) << runtime << ": " << render_all(result->warnings);
  }
}

}  // namespace
}  // namespace stork
