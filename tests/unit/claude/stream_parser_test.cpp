// parse_stream_line on hand-written lines: the edge cases the recorded runs do not show.
#include "agents/claude/stream_parser.hpp"

#include <string>

#include <gtest/gtest.h>

namespace stork::claude {
namespace {

StreamEvent single(std::string_view line) {
  auto events = parse_stream_line(line);
  EXPECT_EQ(events.size(), 1u) << line;
  return events.empty() ? StreamEvent{} : events.front();
}

void expect_raw(std::string_view line, std::string_view expected_text) {
  StreamEvent event = single(line);
  EXPECT_EQ(event.type, StreamEventType::Raw) << line;
  EXPECT_EQ(event.text, expected_text);
}

TEST(ParseStreamLine, NonJsonLineIsRawAndKeptVerbatim) {
  expect_raw("Error: something went wrong", "Error: something went wrong");
  expect_raw("[1, 2, 3]", "[1, 2, 3]");  // JSON, but not an object
  expect_raw("\"text\"", "\"text\"");
}

TEST(ParseStreamLine, TruncatedJsonIsRaw) {
  const std::string line =
      R"({"type":"assistant","message":{"content":[{"type":"text","text":"hel)";
  expect_raw(line, line);
  expect_raw(R"({"type":"result","total_cost_usd":0.5)",
             R"({"type":"result","total_cost_usd":0.5)");
}

TEST(ParseStreamLine, UnknownTypeOrSystemSubtypeIsRawWithSessionId) {
  StreamEvent event = single(R"({"type":"stream_event","session_id":"s1","event":{}})");
  EXPECT_EQ(event.type, StreamEventType::Raw);
  EXPECT_EQ(event.session_id, "s1");
  event = single(R"({"type":"system","subtype":"api_retry","attempt":1,"session_id":"s2"})");
  EXPECT_EQ(event.type, StreamEventType::Raw);
  EXPECT_EQ(event.session_id, "s2");
  expect_raw(R"({"no_type":true})", R"({"no_type":true})");
  expect_raw(R"({"type":42})", R"({"type":42})");
}

TEST(ParseStreamLine, PtyLineEndingIsStrippedAndBlankLinesGiveNothing) {
  StreamEvent event = single(
      "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s\","
      "\"model\":\"m\"}\r\n");
  EXPECT_EQ(event.type, StreamEventType::Init);
  expect_raw("not json\r\n", "not json");
  EXPECT_TRUE(parse_stream_line("").empty());
  EXPECT_TRUE(parse_stream_line(" \t\r\n").empty());
}

TEST(ParseStreamLine, InitGivesSessionAndModel) {
  StreamEvent event =
      single(R"({"type":"system","subtype":"init","session_id":"abc","model":"claude-x"})");
  EXPECT_EQ(event.type, StreamEventType::Init);
  EXPECT_EQ(event.session_id, "abc");
  EXPECT_EQ(event.model, "claude-x");
}

TEST(ParseStreamLine, AssistantMessageGivesOneEventPerBlockInOrder) {
  auto events = parse_stream_line(
      R"({"type":"assistant","session_id":"s","message":{"content":[)"
      R"({"type":"text","text":"Doing two things."},)"
      R"({"type":"tool_use","id":"t1","name":"Write","input":{"file_path":"/a","content":"x"}},)"
      R"({"type":"tool_use","id":"t2","name":"mcp__storkit__status","input":{ "deep": [1, {"k": null}] }}]}})");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, StreamEventType::AssistantText);
  EXPECT_EQ(events[0].text, "Doing two things.");
  EXPECT_EQ(events[1].type, StreamEventType::ToolUse);
  EXPECT_EQ(events[1].tool_name, "Write");
  EXPECT_EQ(events[1].tool_use_id, "t1");
  EXPECT_EQ(events[1].tool_input_json, R"({"file_path":"/a","content":"x"})");
  EXPECT_EQ(events[2].tool_name, "mcp__storkit__status");
  EXPECT_EQ(events[2].tool_input_json, R"({"deep":[1,{"k":null}]})");  // compact
  for (const auto& event : events)
    EXPECT_EQ(event.session_id, "s");
}

TEST(ParseStreamLine, AssistantThinkingAndStringContent) {
  auto events = parse_stream_line(
      R"({"type":"assistant","message":{"content":[{"type":"thinking","thinking":"hmm"}]}})");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, StreamEventType::Thinking);
  EXPECT_EQ(events[0].text, "hmm");
  StreamEvent text = single(R"({"type":"assistant","message":{"content":"plain"}})");
  EXPECT_EQ(text.type, StreamEventType::AssistantText);
  EXPECT_EQ(text.text, "plain");
}

TEST(ParseStreamLine, UnknownBlockKeepsTheLineAsAnExtraRawEvent) {
  const std::string line =
      R"({"type":"assistant","message":{"content":[{"type":"text","text":"a"},{"type":"image"}]}})";
  auto events = parse_stream_line(line);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, StreamEventType::AssistantText);
  EXPECT_EQ(events[1].type, StreamEventType::Raw);
  EXPECT_EQ(events[1].text, line);
  expect_raw(R"({"type":"assistant","message":{}})", R"({"type":"assistant","message":{}})");
  expect_raw(R"({"type":"assistant","message":{"content":[]}})",
             R"({"type":"assistant","message":{"content":[]}})");
}

TEST(ParseStreamLine, ToolResultWithStringOrBlockContentAndErrorFlag) {
  auto events = parse_stream_line(
      R"({"type":"user","message":{"content":[)"
      R"({"type":"tool_result","tool_use_id":"t1","content":"ok"},)"
      R"({"type":"tool_result","tool_use_id":"t2","is_error":true,"content":[)"
      R"({"type":"text","text":"line 1"},{"type":"image"},{"type":"text","text":"line 2"}]}]}})");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, StreamEventType::ToolResult);
  EXPECT_EQ(events[0].tool_use_id, "t1");
  EXPECT_EQ(events[0].text, "ok");
  EXPECT_FALSE(events[0].is_error);
  EXPECT_EQ(events[1].tool_use_id, "t2");
  EXPECT_EQ(events[1].text, "line 1\nline 2");
  EXPECT_TRUE(events[1].is_error);
}

TEST(ParseStreamLine, UserTextMessageIsRaw) {
  const std::string line = R"({"type":"user","message":{"content":[{"type":"text","text":"hi"}]}})";
  expect_raw(line, line);
  const std::string plain = R"({"type":"user","message":{"content":"hi"}})";
  expect_raw(plain, plain);
}

TEST(ParseStreamLine, RateLimitEventLevels) {
  StreamEvent warning = single(
      R"({"type":"rate_limit_event","session_id":"s","rate_limit_info":{"status":"allowed_warning",)"
      R"("resetsAt":1795248661,"rateLimitType":"seven_day","utilization":0.92}})");
  EXPECT_EQ(warning.type, StreamEventType::RateLimit);
  ASSERT_TRUE(warning.rate_limit);
  EXPECT_EQ(warning.rate_limit->level, RateLimit::Level::Warning);
  EXPECT_EQ(warning.rate_limit->resets_at_unix_s, 1795248661);
  EXPECT_EQ(warning.rate_limit->limit_type, "seven_day");

  StreamEvent rejected = single(
      R"({"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1.7e9}})");
  EXPECT_EQ(rejected.rate_limit->level, RateLimit::Level::Rejected);
  EXPECT_EQ(rejected.rate_limit->resets_at_unix_s, 1700000000);

  // After a limit clears the CLI reports plain "allowed" without a reset time.
  StreamEvent allowed = single(
      R"({"type":"rate_limit_event","rate_limit_info":{"status":"allowed","isUsingOverage":false}})");
  EXPECT_EQ(allowed.rate_limit->level, RateLimit::Level::Allowed);
  EXPECT_FALSE(allowed.rate_limit->resets_at_unix_s);
  EXPECT_EQ(allowed.rate_limit->limit_type, "");
}

TEST(ParseStreamLine, RateLimitEventWithUnknownStatusOrNoInfoIsRaw) {
  const std::string unknown =
      R"({"type":"rate_limit_event","rate_limit_info":{"status":"throttled_somehow"}})";
  expect_raw(unknown, unknown);
  expect_raw(R"({"type":"rate_limit_event"})", R"({"type":"rate_limit_event"})");
}

TEST(ParseStreamLine, ResultWithoutUsageSumsModelUsage) {
  StreamEvent result =
      single(R"({"type":"result","subtype":"success","result":"done","total_cost_usd":1.25,)"
             R"("num_turns":7,"modelUsage":{)"
             R"("claude-a":{"inputTokens":10,"outputTokens":2,"cacheReadInputTokens":100,)"
             R"("cacheCreationInputTokens":5,"costUSD":1.0},)"
             R"("claude-b":{"inputTokens":1,"outputTokens":1,"costUSD":0.25}}})");
  EXPECT_EQ(result.type, StreamEventType::Result);
  ASSERT_TRUE(result.usage);
  EXPECT_EQ(*result.usage, (Usage{11, 3, 5, 100}));
  EXPECT_EQ(result.total_cost_usd, 1.25);
  EXPECT_EQ(result.num_turns, 7);
  EXPECT_EQ(result.model, "");  // two models: none is "the" model
  EXPECT_FALSE(result.run_cost_usd);
}

TEST(ParseStreamLine, ResultUsageFieldWinsOverModelUsage) {
  StreamEvent result =
      single(R"({"type":"result","usage":{"input_tokens":3,"output_tokens":4,)"
             R"("cache_creation_input_tokens":5,"cache_read_input_tokens":6},)"
             R"("modelUsage":{"m":{"inputTokens":99}},"model_usage_since_last_result":{}})");
  EXPECT_EQ(*result.usage, (Usage{3, 4, 5, 6}));
  EXPECT_EQ(result.model, "m");
  EXPECT_EQ(result.run_cost_usd, 0.0);
}

TEST(ParseStreamLine, ResultOf429CarriesRejectedLimitWithReportedDetails) {
  StreamEvent result =
      single(R"({"type":"result","subtype":"success","is_error":true,"api_error_status":429,)"
             R"("api_error_params":{"rate_limit_info":{"status":"rejected","resetsAt":1795244856,)"
             R"("rateLimitType":"five_hour"}},"result":"You've hit your 5-hour limit"})");
  EXPECT_TRUE(result.is_error);
  ASSERT_TRUE(result.rate_limit);
  EXPECT_EQ(result.rate_limit->level, RateLimit::Level::Rejected);
  EXPECT_EQ(result.rate_limit->resets_at_unix_s, 1795244856);
  EXPECT_EQ(result.rate_limit->limit_type, "five_hour");

  StreamEvent other_error =
      single(R"({"type":"result","is_error":true,"api_error_status":500,"result":"boom"})");
  EXPECT_FALSE(other_error.rate_limit);
}

TEST(ParseStreamLine, WrongTypedFieldsAreIgnoredNotTrusted) {
  StreamEvent result = single(
      R"({"type":"result","session_id":7,"is_error":"yes","total_cost_usd":"1",)"
      R"("num_turns":1e300,"usage":{"input_tokens":-1.5e300,"output_tokens":18446744073709551615}})");
  EXPECT_EQ(result.type, StreamEventType::Result);
  EXPECT_EQ(result.session_id, "");
  EXPECT_FALSE(result.is_error);
  EXPECT_FALSE(result.total_cost_usd);
  EXPECT_FALSE(result.num_turns);
  EXPECT_EQ(*result.usage, (Usage{}));
}

TEST(ParseStreamLine, DeeplyNestedJsonIsRawNotACrash) {
  const std::string deep =
      R"({"type":"assistant","x":)" + std::string(10000, '[') + std::string(10000, ']') + "}";
  EXPECT_EQ(single(deep).type, StreamEventType::Raw);
}

TEST(ParseStreamLine, InvalidUtf8IsRaw) {
  const std::string line = "{\"type\":\"result\",\"result\":\"\xff\xfe\"}";
  expect_raw(line, line);
}

}  // namespace
}  // namespace stork::claude
