// The Gemini CLI's stream-json (and stderr) as RuntimeEvents (gemini_cli/stream_translator.hpp).
// The lines are the CLI's own, as 0.61.0 printed them against the scripted Gemini API.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agents/gemini_cli/stream_translator.hpp"

namespace stork::agents {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::int64_t kNow = 1'800'000'000;

GeminiStreamTranslator translator() {
  return GeminiStreamTranslator(GeminiTranslatorSetup{{}, "MY_GEMINI_KEY", [] { return kNow; }});
}

std::vector<RuntimeEvent> translate_all(GeminiStreamTranslator& t,
                                        const std::vector<std::string>& lines) {
  std::vector<RuntimeEvent> events;
  for (const auto& line : lines)
    t.translate(line, events);
  return events;
}

std::vector<std::string> types(const std::vector<RuntimeEvent>& events) {
  std::vector<std::string> out;
  for (const auto& event : events)
    out.push_back(event.type);
  return out;
}

json::object payload(const RuntimeEvent& event) {
  return json::parse(event.payload).as_object();
}

TEST(GeminiStreamTranslator, ARunBecomesSessionTextToolsAndAPricedResult) {
  auto t = translator();
  auto events = translate_all(
      t,
      {R"({"type":"init","timestamp":"t","session_id":"d565","model":"gemini-2.5-flash"})",
       R"({"type":"message","timestamp":"t","role":"user","content":"Create gem.txt"})",
       R"({"type":"message","timestamp":"t","role":"assistant","content":"Writing ","delta":true})",
       R"({"type":"message","timestamp":"t","role":"assistant","content":"it.","delta":true})",
       R"({"type":"tool_use","timestamp":"t","tool_name":"write_file","tool_id":"w1","parameters":{"file_path":"gem.txt"}})",
       R"({"type":"tool_result","timestamp":"t","tool_id":"w1","status":"success","output":"ok"})",
       R"({"type":"tool_result","timestamp":"t","tool_id":"w2","status":"error","error":{"type":"X","message":"denied"}})",
       R"({"type":"result","timestamp":"t","status":"success","stats":{"total_tokens":1200,"input_tokens":1000,"output_tokens":200,"cached":400,"input":600,"models":{"gemini-2.5-flash":{"input_tokens":1000,"output_tokens":200,"cached":400}}}})"});
  ASSERT_THAT(types(events), ElementsAre("session", "raw", "assistant_text", "tool_use",
                                         "tool_result", "tool_result", "result"));
  EXPECT_EQ(events[0].session_id, "d565");
  EXPECT_EQ(events[0].model, "gemini-2.5-flash");
  EXPECT_EQ(payload(events[2]).at("text").as_string(), "Writing it.");
  EXPECT_EQ(payload(events[3]).at("name").as_string(), "write_file");
  EXPECT_EQ(payload(events[3]).at("input").at("file_path").as_string(), "gem.txt");
  EXPECT_FALSE(payload(events[4]).at("is_error").as_bool());
  EXPECT_TRUE(payload(events[5]).at("is_error").as_bool());
  EXPECT_EQ(payload(events[5]).at("text").as_string(), "denied");
  const auto& result = events[6];
  ASSERT_TRUE(result.usage.has_value());
  EXPECT_EQ(result.usage->input_tokens, 600);
  EXPECT_EQ(result.usage->cache_read_input_tokens, 400);
  EXPECT_EQ(result.usage->output_tokens, 200);
  EXPECT_GT(result.usage->cost_usd, 0) << "gemini-2.5-flash is in the built-in price table";
  EXPECT_FALSE(result.failed_result);
  EXPECT_EQ(result.session_id, "d565");
  EXPECT_TRUE(t.failure().empty());
}

TEST(GeminiStreamTranslator, AQuotaErrorResultIsAHardRateLimitWithTheResetTheApiNamed) {
  auto t = translator();
  auto events = translate_all(
      t,
      {R"({"type":"result","status":"error","error":{"type":"unknown","message":"[API Error: Resource has been exhausted (e.g. check quota).\nSuggested retry after 3600s.]\nPlease wait"},"stats":{}})"});
  ASSERT_THAT(types(events), ElementsAre("rate_limit", "result"));
  ASSERT_TRUE(events[0].rate_limit.has_value());
  EXPECT_TRUE(events[0].rate_limit->hard);
  EXPECT_EQ(events[0].rate_limit->resets_at_unix_s, kNow + 3600);
  EXPECT_TRUE(events[1].failed_result);
  ASSERT_TRUE(events[1].rate_limit.has_value());
  EXPECT_THAT(t.failure(), HasSubstr("rate limited by the model API"));
  EXPECT_THAT(t.failure(), HasSubstr("Resource has been exhausted"));
}

TEST(GeminiStreamTranslator, ARefusedKeyNamesTheVariableToFix) {
  auto t = translator();
  translate_all(
      t,
      {R"({"type":"result","status":"error","error":{"message":"[API Error: API key not valid. Please pass a valid API key.]"}})"});
  EXPECT_THAT(t.failure(), HasSubstr("check the API key in MY_GEMINI_KEY"));
}

TEST(GeminiStreamTranslator, TheClisOwnRetryOfA429IsAWarningThatEndsWhenTheModelAnswers) {
  auto t = translator();
  auto events = translate_all(
      t, {"Attempt 1 failed with status 429. Retrying with backoff... _ApiError: {...}",
          "    at throwErrorIfNotOK (file:///x.js:1:1)",
          "Attempt 2 failed with status 429. Retrying with backoff...",
          R"({"type":"message","role":"assistant","content":"Back.","delta":true})",
          R"({"type":"result","status":"success","stats":{}})"});
  ASSERT_THAT(types(events), ElementsAre("rate_limit", "output", "output", "output", "rate_limit",
                                         "assistant_text", "result"));
  EXPECT_EQ(payload(events[0]).at("level").as_string(), "warning");
  EXPECT_FALSE(events[0].rate_limit->hard);
  EXPECT_TRUE(events[4].rate_limit->allowed);
  EXPECT_TRUE(t.failure().empty());
}

TEST(GeminiStreamTranslator, HostileLinesBecomeOutputOrRawNeverAnError) {
  auto t = translator();
  auto events = translate_all(t, {"{not json", R"({"no_type":1})", R"({"type":"future_kind"})",
                                  R"({"type":"tool_use","parameters":"text"})", "", "plain"});
  EXPECT_THAT(types(events), ElementsAre("output", "output", "raw", "tool_use", "output"));
}

TEST(GeminiStreamTranslator, AnUnresumableSessionSaysSo) {
  auto t = translator();
  translate_all(t, {"Error resuming session: Invalid session identifier \"abc\"."});
  EXPECT_THAT(t.failure(), HasSubstr("cannot resume the session"));
}

// A line that is not UTF-8 (any bytes an agent prints) still makes a payload that is JSON text,
// with U+FFFD for the bad bytes: the payload goes to state.db, REST and /ws as it is.
TEST(GeminiStreamTranslator, BytesThatAreNotUtf8BecomeReplacementCharactersInValidJson) {
  auto t = translator();
  auto events = translate_all(t, {"plain \xb6\xff output"});
  ASSERT_FALSE(events.empty());
  for (const auto& event : events) {
    json::error_code error;
    auto parsed = json::parse(event.payload, error);
    ASSERT_FALSE(error) << event.payload;
    EXPECT_THAT(json::serialize(parsed), HasSubstr("\xef\xbf\xbd")) << event.payload;
  }
}

}  // namespace
}  // namespace stork::agents
