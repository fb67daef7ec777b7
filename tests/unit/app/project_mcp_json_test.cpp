#include "app/project_mcp_json.hpp"

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork::app {
namespace {

using ::testing::HasSubstr;
namespace json = boost::json;

constexpr const char* kUrl = "http://127.0.0.1:4567/mcp";

TEST(ProjectMcpJson, CreatesTheFileWhenMissing) {
  testing::TempDir dir;
  auto pointed = point_project_mcp_json(dir.path(), kUrl);
  ASSERT_TRUE(pointed.ok()) << pointed.error();
  EXPECT_EQ(pointed.value(), McpJsonUpdate::Written);
  auto config = json::parse(testing::read_text(dir / ".mcp.json"));
  EXPECT_EQ(config.at("mcpServers").at("storkit").at("url").as_string(), kUrl);
  EXPECT_EQ(config.at("mcpServers").at("storkit").at("type").as_string(), "http");
}

TEST(ProjectMcpJson, LeavesAFileThatAlreadyNamesTheUrlByteForByte) {
  testing::TempDir dir;
  const std::string pretty = std::string("{\n  \"mcpServers\": {\n    \"storkit\": {\"type\": ") +
                             "\"http\", \"url\": \"" + kUrl + "\"}\n  }\n}\n";
  testing::write_text(dir / ".mcp.json", pretty);
  auto pointed = point_project_mcp_json(dir.path(), kUrl);
  ASSERT_TRUE(pointed.ok()) << pointed.error();
  EXPECT_EQ(pointed.value(), McpJsonUpdate::Unchanged);
  EXPECT_EQ(testing::read_text(dir / ".mcp.json"), pretty);
}

TEST(ProjectMcpJson, ReplacesTheStorkitUrlAndKeepsOtherServers) {
  testing::TempDir dir;
  testing::write_text(dir / ".mcp.json",
                      R"({"mcpServers":{"db":{"command":"db-mcp","args":["--ro"]},)"
                      R"("storkit":{"type":"http","url":"http://127.0.0.1:3000/mcp"}},)"
                      R"("other":true})");
  auto pointed = point_project_mcp_json(dir.path(), kUrl);
  ASSERT_TRUE(pointed.ok()) << pointed.error();
  EXPECT_EQ(pointed.value(), McpJsonUpdate::Written);
  auto config = json::parse(testing::read_text(dir / ".mcp.json"));
  EXPECT_EQ(config.at("mcpServers").at("storkit").at("url").as_string(), kUrl);
  EXPECT_EQ(config.at("mcpServers").at("db").at("command").as_string(), "db-mcp");
  EXPECT_EQ(config.at("other"), json::value(true));
}

TEST(ProjectMcpJson, ANewPortChangesOnlyTheUrlInTheFilesOwnFormatting) {
  testing::TempDir dir;
  const std::string before =
      "{\n    \"mcpServers\": {\n        \"storkit\": {\n            \"type\": \"http\",\n"
      "            \"url\": \"http://127.0.0.1:3000/mcp\"\n        }\n    }\n}\n";
  testing::write_text(dir / ".mcp.json", before);
  auto pointed = point_project_mcp_json(dir.path(), kUrl);
  ASSERT_TRUE(pointed.ok()) << pointed.error();
  EXPECT_EQ(pointed.value(), McpJsonUpdate::Written);
  std::string expected = before;
  expected.replace(expected.find("http://127.0.0.1:3000/mcp"), 25, kUrl);
  EXPECT_EQ(testing::read_text(dir / ".mcp.json"), expected);
}

TEST(ProjectMcpJson, RefusesAFileThatIsNotAJsonObjectAndLeavesIt) {
  testing::TempDir dir;
  testing::write_text(dir / ".mcp.json", "[1, 2]\n");
  auto pointed = point_project_mcp_json(dir.path(), kUrl);
  ASSERT_FALSE(pointed.ok());
  EXPECT_THAT(pointed.error(), HasSubstr(".mcp.json is not a JSON object"));
  EXPECT_THAT(pointed.error(), HasSubstr(kUrl));
  EXPECT_EQ(testing::read_text(dir / ".mcp.json"), "[1, 2]\n");
}

}  // namespace
}  // namespace stork::app
