// project.toml's [limits] table (issue 16): defaults, values read, and out-of-range values as
// errors naming the field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace stork {
namespace {

TEST(LimitsConfig, DefaultsWithoutTheTable) {
  auto result = parse_project_config("", "project.toml");
  ASSERT_TRUE(result.ok());
  const auto& limits = result->config.limits;
  EXPECT_EQ(limits.item_file_bytes, 1024U * 1024U);
  EXPECT_EQ(limits.command_output_bytes, 1024U * 1024U);
  EXPECT_EQ(limits.run_output_bytes, 16U * 1024U * 1024U);
  EXPECT_EQ(limits.commands_per_session, 4U);
  EXPECT_EQ(limits.commands_total, 16U);
}

TEST(LimitsConfig, ReadsEveryField) {
  auto result = parse_project_config(
      "[limits]\nitem_file_bytes = 2048\ncommand_output_bytes = 4096\nrun_output_bytes = 8192\n"
      "commands_per_session = 2\ncommands_total = 3\n",
      "project.toml");
  ASSERT_TRUE(result.ok()) << render_all(result.error());
  const auto& limits = result->config.limits;
  EXPECT_EQ(limits.item_file_bytes, 2048U);
  EXPECT_EQ(limits.command_output_bytes, 4096U);
  EXPECT_EQ(limits.run_output_bytes, 8192U);
  EXPECT_EQ(limits.commands_per_session, 2U);
  EXPECT_EQ(limits.commands_total, 3U);
  EXPECT_TRUE(result->warnings.empty());
}

TEST(LimitsConfig, OutOfRangeIsAnErrorNamingTheField) {
  auto result = parse_project_config("[limits]\nitem_file_bytes = 10\n", "project.toml");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().front().field, "limits.item_file_bytes");
  EXPECT_THAT(result.error().front().message, ::testing::HasSubstr("between 1024"));
  auto zero = parse_project_config("[limits]\ncommands_total = 0\n", "project.toml");
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().front().field, "limits.commands_total");
}

}  // namespace
}  // namespace stork
