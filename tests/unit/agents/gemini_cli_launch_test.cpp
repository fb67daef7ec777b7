// The Gemini CLI's command line and per-run settings (src/agents/gemini_cli/launch.hpp).
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agents/gemini_cli/launch.hpp"

namespace stork::gemini_cli {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(GeminiCliArgv, HeadlessStreamJsonYoloWithModelResumeAndTheAgentsArgsLast) {
  AgentConfig agent;
  agent.command = "/opt/gemini";
  agent.args = {"--debug"};
  LaunchInput input{"gemini-2.5-pro", "0f1e2d3c-aaaa-bbbb-cccc-123456789abc"};
  EXPECT_THAT(gemini_cli_argv(agent, input),
              ElementsAre("/opt/gemini", "--output-format", "stream-json", "--skip-trust",
                          "--approval-mode", "yolo", "-m", "gemini-2.5-pro", "--resume",
                          "0f1e2d3c-aaaa-bbbb-cccc-123456789abc", "-p", "", "--debug"));
}

TEST(GeminiCliArgv, DefaultsToGeminiOnThePathWithoutModelOrResume) {
  EXPECT_THAT(gemini_cli_argv(AgentConfig{}, LaunchInput{}),
              ElementsAre("gemini", "--output-format", "stream-json", "--skip-trust",
                          "--approval-mode", "yolo", "-p", ""));
}

TEST(GeminiCliSettings, SelectsApiKeyAuthTurnsOffTelemetryAndAddsStorksMcpServer) {
  AgentConfig agent;
  agent.max_turns = 40;
  McpServer mcp{"http://127.0.0.1:3001/mcp", {{"X-Stork-Agent", "coder-1"}}};
  const auto settings = json::parse(gemini_cli_settings(agent, mcp)).as_object();
  EXPECT_EQ(settings.at("security").at("auth").at("selectedType").as_string(), "gemini-api-key");
  EXPECT_FALSE(settings.at("privacy").at("usageStatisticsEnabled").as_bool());
  EXPECT_FALSE(settings.at("telemetry").at("enabled").as_bool());
  EXPECT_FALSE(settings.at("general").at("enableAutoUpdate").as_bool());
  EXPECT_EQ(settings.at("model").at("maxSessionTurns").as_int64(), 40);
  const auto& storkit = settings.at("mcpServers").at("storkit").as_object();
  EXPECT_EQ(storkit.at("httpUrl").as_string(), "http://127.0.0.1:3001/mcp");
  EXPECT_TRUE(storkit.at("trust").as_bool());
  EXPECT_EQ(storkit.at("headers").at("X-Stork-Agent").as_string(), "coder-1");
}

TEST(GeminiCliSettings, WithoutMcpServerHasNoMcpServersKey) {
  const auto settings = json::parse(gemini_cli_settings(AgentConfig{}, std::nullopt)).as_object();
  EXPECT_FALSE(settings.contains("mcpServers"));
  EXPECT_FALSE(settings.contains("model"));
}

TEST(StorkitMcpServer, ReadsTheUrlAndBearerAndWritesTheCallerHeadersOut) {
  auto server = storkit_mcp_server(
      R"({"mcpServers":{"other":{"command":"x"},"storkit":{"type":"http","url":"http://127.0.0.1:9/mcp",
          "headers":{"Authorization":"Bearer t0k","X-Stork-Agent":"${STORK_AGENT:-}"}}}})",
      "coder-1", "7_story_x");
  ASSERT_TRUE(server.ok()) << server.error();
  EXPECT_EQ(server.value().url, "http://127.0.0.1:9/mcp");
  EXPECT_THAT(server.value().headers,
              ElementsAre(std::pair<std::string, std::string>{"Authorization", "Bearer t0k"},
                          std::pair<std::string, std::string>{"X-Stork-Agent", "coder-1"},
                          std::pair<std::string, std::string>{"X-Stork-Story", "7_story_x"}));
}

TEST(StorkitMcpServer, MalformedFilesAreErrorsThatSayWhatIsWrong) {
  auto not_json = storkit_mcp_server("{not json", "a", "b");
  ASSERT_FALSE(not_json.ok());
  EXPECT_THAT(not_json.error(), HasSubstr("not JSON"));
  for (const char* text : {R"({})", R"({"mcpServers":[]})", R"({"mcpServers":{"storkit":{}}})",
                           R"({"mcpServers":{"storkit":{"url":7}}})"}) {
    auto missing = storkit_mcp_server(text, "a", "b");
    ASSERT_FALSE(missing.ok()) << text;
    EXPECT_THAT(missing.error(), HasSubstr("mcpServers.storkit.url")) << text;
  }
}

}  // namespace
}  // namespace stork::gemini_cli
