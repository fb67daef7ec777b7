// permission_mode and permission_timeout_secs in project.toml: read, defaulted, and every bad
// value an error at its file:line naming the valid ones.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

TEST(PermissionSettings, ReadsEachModeAndTheTimeout) {
  auto result = parse_project_config(
      "permission_timeout_secs = 90\n"
      "[[agent]]\nname = \"coder-1\"\npermission_mode = \"ask\"\n"
      "[[agent]]\nname = \"coder-2\"\npermission_mode = \"allow\"\n"
      "[[agent]]\nname = \"coder-3\"\npermission_mode = \"deny\"\n"
      "[[agent]]\nname = \"coder-4\"\n",
      "project.toml");
  ASSERT_TRUE(result.ok()) << render_all(result.error());
  const auto& config = result->config;
  EXPECT_EQ(config.permission_timeout_secs, 90);
  EXPECT_EQ(config.agents[0].permission_mode, PermissionMode::Ask);
  EXPECT_EQ(config.agents[1].permission_mode, PermissionMode::Allow);
  EXPECT_EQ(config.agents[2].permission_mode, PermissionMode::Deny);
  EXPECT_FALSE(config.agents[3].permission_mode);
}

TEST(PermissionSettings, TimeoutDefaultsToTenMinutes) {
  auto result = parse_project_config("", "project.toml");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->config.permission_timeout_secs, 600);
}

Diagnostic only_error(std::string_view text) {
  auto result = parse_project_config(text, "project.toml");
  EXPECT_FALSE(result.ok()) << text;
  if (result.ok()) return {};
  std::vector<Diagnostic> errors;
  for (const auto& d : result.error()) {
    if (d.severity == Diagnostic::Severity::Error) errors.push_back(d);
  }
  EXPECT_EQ(errors.size(), 1u) << render_all(result.error());
  return errors.empty() ? Diagnostic{} : errors.front();
}

TEST(PermissionSettings, UnknownModeIsAnErrorAtItsLineNamingTheValidValues) {
  auto error = only_error("[[agent]]\nname = \"coder-1\"\n\npermission_mode = \"sometimes\"\n");
  EXPECT_EQ(error.field, "agent[0].permission_mode");
  EXPECT_EQ(error.line, 4);
  EXPECT_THAT(error.render(), HasSubstr("project.toml:4:"));
  EXPECT_THAT(error.message, HasSubstr("'sometimes'"));
  EXPECT_THAT(error.message, HasSubstr("ask, allow or deny"));
}

TEST(PermissionSettings, ModeBesideArgsThatDecidePermissionsIsAnError) {
  auto skip = only_error(
      "[[agent]]\nname = \"coder-1\"\npermission_mode = \"ask\"\n"
      "args = [\"--dangerously-skip-permissions\"]\n");
  EXPECT_EQ(skip.field, "agent[0].permission_mode");
  EXPECT_THAT(skip.message, HasSubstr("--dangerously-skip-permissions"));
  auto tool = only_error(
      "[[agent]]\nname = \"coder-1\"\npermission_mode = \"deny\"\n"
      "args = [\"--permission-prompt-tool\", \"mcp__x__y\"]\n");
  EXPECT_THAT(tool.message, HasSubstr("--permission-prompt-tool"));
}

TEST(PermissionSettings, WrongTypesAndRangesAreErrors) {
  EXPECT_EQ(only_error("[[agent]]\nname = \"c\"\npermission_mode = 1\n").field,
            "agent[0].permission_mode");
  auto zero = only_error("permission_timeout_secs = 0\n");
  EXPECT_EQ(zero.field, "permission_timeout_secs");
  EXPECT_THAT(zero.message, HasSubstr("between 1 and 86400"));
}

TEST(PermissionSettings, ModeOnAnotherRuntimeIsAWarning) {
  auto result = parse_project_config(
      "[[agent]]\nname = \"c\"\nruntime = \"openai\"\npermission_mode = \"ask\"\n", "project.toml");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->warnings.size(), 1u);
  EXPECT_THAT(result->warnings[0].message, HasSubstr("only by the claude-code and acp runtimes"));
}

}  // namespace
}  // namespace stork
