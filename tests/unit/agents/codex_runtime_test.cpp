// The pure parts of the `codex` runtime: the per-run config.toml, the command line, what a
// failed turn means, and the translation of `codex exec --json` lines (shapes as the pinned
// CLI 0.171.0 prints them; the real CLI runs in tests/e2e/codex_*_test.cpp).
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include "agents/codex/codex_config.hpp"
#include "agents/codex/codex_failure.hpp"
#include "agents/codex/codex_launch.hpp"
#include "agents/runtime/codex_event_translation.hpp"

namespace stork {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CodexConfig, NamesModelProviderAndMcpServerWithoutWritingTheToken) {
  codex::ConfigInput input;
  input.model = "gpt-5.5";
  input.base_url = "http://127.0.0.1:8080/v1";
  input.api_key_env = "MY_KEY";
  input.mcp_url = "http://127.0.0.1:3000/mcp";
  input.mcp_token = true;
  input.agent_name = "coder-\"1\"";
  input.story_id = "1_story_x";
  auto parsed = toml::parse(codex::config_toml(input));
  EXPECT_EQ(parsed["model"].value<std::string>(), "gpt-5.5");
  EXPECT_EQ(parsed["model_provider"].value<std::string>(), "stork");
  EXPECT_EQ(parsed["approval_policy"].value<std::string>(), "never");
  EXPECT_EQ(parsed["check_for_update_on_startup"].value<bool>(), false);
  EXPECT_EQ(parsed["analytics"]["enabled"].value<bool>(), false);
  EXPECT_EQ(parsed["features"]["plugins"].value<bool>(), false);
  auto provider = parsed["model_providers"]["stork"];
  EXPECT_EQ(provider["base_url"].value<std::string>(), "http://127.0.0.1:8080/v1");
  EXPECT_EQ(provider["env_key"].value<std::string>(), "MY_KEY");
  EXPECT_EQ(provider["wire_api"].value<std::string>(), "responses");
  auto mcp = parsed["mcp_servers"]["storkit"];
  EXPECT_EQ(mcp["url"].value<std::string>(), "http://127.0.0.1:3000/mcp");
  EXPECT_EQ(mcp["bearer_token_env_var"].value<std::string>(), codex::kMcpTokenVariable);
  // stork's tools are listed to the model up front, not deferred behind tool_search.
  ASSERT_TRUE(mcp["omit_tools_from"].is_array());
  EXPECT_EQ(mcp["omit_tools_from"][0].value<std::string>(), "deferred");
  EXPECT_EQ(mcp["omit_tools_from"].as_array()->size(), 1u);
  // Hostile names are quoted by the TOML writer, not spliced into the text.
  EXPECT_EQ(mcp["http_headers"]["X-Stork-Agent"].value<std::string>(), "coder-\"1\"");
  EXPECT_EQ(mcp["http_headers"]["X-Stork-Story"].value<std::string>(), "1_story_x");
}

TEST(CodexConfig, KeyVariableDefaultsLikeTheOpenAiRuntime) {
  codex::ConfigInput input;
  EXPECT_EQ(codex::key_variable(input), "OPENAI_API_KEY");
  auto parsed = toml::parse(codex::config_toml(input));
  EXPECT_FALSE(parsed["model"]);
  EXPECT_FALSE(parsed["mcp_servers"]);
  EXPECT_EQ(parsed["model_providers"]["stork"]["base_url"].value<std::string>(),
            codex::kDefaultBaseUrl);
  input.base_url = "http://127.0.0.1:11434/v1";  // a local server: no key unless named
  EXPECT_EQ(codex::key_variable(input), std::nullopt);
  EXPECT_FALSE(toml::parse(codex::config_toml(input))["model_providers"]["stork"]["env_key"]);
}

TEST(CodexLaunch, ExecOrResumeWithTheAgentsArgsAndThePromptOnStdin) {
  AgentConfig agent;
  agent.args = {"--dangerously-bypass-approvals-and-sandbox"};
  EXPECT_THAT(codex::codex_argv(agent, std::nullopt),
              ElementsAre("codex", "exec", "--json", "--dangerously-bypass-approvals-and-sandbox",
                          "--", "-"));
  agent.command = "/opt/codex";
  EXPECT_THAT(codex::codex_argv(agent, std::string("-not-a-flag")),
              ElementsAre("/opt/codex", "exec", "resume", "--json",
                          "--dangerously-bypass-approvals-and-sandbox", "--", "-not-a-flag", "-"));
}

TEST(CodexFailure, ClassifiesWhatTheCliSaysAndNamesTheFix) {
  codex::FailureContext context{"http://127.0.0.1:1/v1", std::string("MY_KEY")};
  using Kind = codex::Failure::Kind;
  auto limited =
      codex::classify_failure("exceeded retry limit, last status: 429 Too Many Requests", context);
  EXPECT_EQ(limited.kind, Kind::RateLimited);
  EXPECT_THAT(limited.message, HasSubstr("rate-limited"));
  auto denied =
      codex::classify_failure("unexpected status 401 Unauthorized: Incorrect API key", context);
  EXPECT_EQ(denied.kind, Kind::Auth);
  EXPECT_THAT(denied.message, HasSubstr("check the API key in MY_KEY"));
  auto missing = codex::classify_failure("Missing environment variable: `MY_KEY`.", context);
  EXPECT_EQ(missing.kind, Kind::Auth);
  auto quota =
      codex::classify_failure("Quota exceeded. Check your plan and billing details.", context);
  EXPECT_EQ(quota.kind, Kind::Quota);
  EXPECT_THAT(quota.message, HasSubstr("no quota left"));
  auto other = codex::classify_failure("stream disconnected", context);
  EXPECT_EQ(other.kind, Kind::Other);
  EXPECT_EQ(other.message, "codex: stream disconnected");
}

std::vector<agents::RuntimeEvent> translate(const std::vector<std::string>& lines,
                                            std::optional<ModelPrice> price = std::nullopt) {
  agents::CodexRunFacts facts;
  facts.model = "gpt-5.5";
  facts.price = std::move(price);
  facts.failure = {"http://127.0.0.1:1/v1", std::string("MY_KEY")};
  agents::CodexEventTranslator translator(facts);
  std::vector<agents::RuntimeEvent> events;
  for (const auto& line : lines)
    translator.translate(line, events);
  return events;
}

std::vector<std::string> types(const std::vector<agents::RuntimeEvent>& events) {
  std::vector<std::string> found;
  for (const auto& event : events)
    found.push_back(event.type);
  return found;
}

TEST(CodexEvents, ARunBecomesSessionToolCallsTextAndAResultWithUsageAndCost) {
  auto events = translate(
      {R"({"type":"thread.started","thread_id":"t-1"})", R"({"type":"turn.started"})",
       R"({"type":"item.started","item":{"id":"item_1","type":"command_execution","command":"ls","aggregated_output":"","exit_code":null,"status":"in_progress"}})",
       R"({"type":"item.completed","item":{"id":"item_1","type":"command_execution","command":"ls","aggregated_output":"a.txt\n","exit_code":0,"status":"completed"}})",
       R"({"type":"item.started","item":{"id":"item_2","type":"mcp_tool_call","server":"storkit","tool":"report_completion","arguments":{"story_id":"1"},"result":null,"error":null,"status":"in_progress"}})",
       R"({"type":"item.completed","item":{"id":"item_2","type":"mcp_tool_call","server":"storkit","tool":"report_completion","arguments":{"story_id":"1"},"result":{"content":[{"type":"text","text":"gate passed"}],"structured_content":null},"error":null,"status":"completed"}})",
       R"({"type":"item.completed","item":{"id":"item_3","type":"agent_message","text":"Done."}})",
       R"({"type":"turn.completed","usage":{"input_tokens":1000,"cached_input_tokens":400,"output_tokens":50,"reasoning_output_tokens":0}})",
       "not json"},
      ModelPrice{"gpt-5.5", 1.0, 10.0, 0.5});
  EXPECT_THAT(types(events), ElementsAre("session", "tool_use", "tool_result", "tool_use",
                                         "tool_result", "assistant_text", "result", "output"));
  EXPECT_EQ(events[0].session_id, "t-1");
  EXPECT_EQ(events[0].model, "gpt-5.5");
  EXPECT_THAT(events[1].payload, HasSubstr(R"("name":"exec_command")"));
  EXPECT_THAT(events[2].payload, HasSubstr(R"("is_error":false)"));
  EXPECT_THAT(events[3].payload, HasSubstr(R"("name":"mcp__storkit__report_completion")"));
  EXPECT_THAT(events[4].payload, HasSubstr("gate passed"));
  const auto& result = events[6];
  ASSERT_TRUE(result.usage.has_value());
  EXPECT_TRUE(result.usage->session_totals);
  EXPECT_EQ(result.usage->input_tokens, 600);
  EXPECT_EQ(result.usage->cache_read_input_tokens, 400);
  EXPECT_EQ(result.usage->output_tokens, 50);
  EXPECT_DOUBLE_EQ(result.usage->cost_usd, (600 * 1.0 + 400 * 0.5 + 50 * 10.0) / 1e6);
  EXPECT_EQ(result.session_id, "t-1");
  EXPECT_FALSE(result.failed_result);
}

TEST(CodexEvents, AFailedTurnIsAFailedResultAndA429AlsoAHardRateLimit) {
  auto limited = translate(
      {R"({"type":"thread.started","thread_id":"t-2"})",
       R"({"type":"error","message":"exceeded retry limit, last status: 429 Too Many Requests"})",
       R"({"type":"turn.failed","error":{"message":"exceeded retry limit, last status: 429 Too Many Requests"}})"});
  EXPECT_THAT(types(limited), ElementsAre("session", "error", "rate_limit", "result"));
  ASSERT_TRUE(limited[2].rate_limit.has_value());
  EXPECT_TRUE(limited[2].rate_limit->hard);
  EXPECT_TRUE(limited[3].failed_result);
  ASSERT_TRUE(limited[3].rate_limit.has_value());
  EXPECT_EQ(limited[3].session_id, "t-2");

  auto denied = translate(
      {R"({"type":"turn.failed","error":{"message":"unexpected status 401 Unauthorized"}})"});
  EXPECT_THAT(types(denied), ElementsAre("result"));
  EXPECT_FALSE(denied[0].rate_limit.has_value());
  EXPECT_THAT(denied[0].failure, HasSubstr("check the API key in MY_KEY"));
}

TEST(CodexEvents, HostileOrUnknownLinesAreKeptNotDropped) {
  auto events = translate(
      {R"({"type":"item.completed","item":"not an object"})", R"({"type":"something.new","x":1})",
       R"([1,2])", R"({"type":"item.completed","item":{"id":"i","type":"todo_list","items":[]}})",
       R"({"type":"item.completed","item":{"id":"e","type":"error","message":"careful"}})",
       R"({"type":"turn.completed","usage":{"input_tokens":"many"}})"});
  EXPECT_THAT(types(events), ElementsAre("raw", "raw", "output", "raw", "error", "result"));
  ASSERT_TRUE(events[5].usage.has_value());
  EXPECT_EQ(events[5].usage->input_tokens, 0);
  EXPECT_EQ(events[5].usage->cost_usd, 0);
}

}  // namespace
}  // namespace stork
