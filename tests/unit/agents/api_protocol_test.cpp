// The pieces of the API runtimes that need no server: SSE framing, the two stream formats,
// requests and their tool schemas, rate-limit reset times, error messages.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agents/api/model_protocol.hpp"
#include "agents/api/sse_parser.hpp"

namespace stork::agents::api {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(SseParser, JoinsDataLinesAndSplitsEventsAcrossChunks) {
  SseParser parser;
  std::vector<SseEvent> events;
  parser.feed("event: a\r\ndata: one\r\nda", events);
  EXPECT_TRUE(events.empty());
  parser.feed("ta: two\r\n\r\n: a comment\n\ndata:{\"x\":1}\n\n", events);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event, "a");
  EXPECT_EQ(events[0].data, "one\ntwo");
  EXPECT_EQ(events[1].data, "{\"x\":1}");
  parser.feed("data: tail", events);
  parser.finish(events);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].data, "tail");
}

TEST(ParseDuration, ReadsGoDurationsAndSeconds) {
  EXPECT_EQ(parse_duration_ms("1s"), 1000);
  EXPECT_EQ(parse_duration_ms("6m0s"), 360000);
  EXPECT_EQ(parse_duration_ms("20ms"), 20);
  EXPECT_EQ(parse_duration_ms("1h2m3.5s"), 3723500);
  EXPECT_EQ(parse_duration_ms("37s"), 37000);
  EXPECT_EQ(parse_duration_ms("5"), 5000);
  EXPECT_FALSE(parse_duration_ms("soon"));
  EXPECT_FALSE(parse_duration_ms(""));
}

ModelTurn decode(const ModelProtocol& protocol, const std::vector<std::string>& data,
                 std::string* text = nullptr, std::string* thinking = nullptr) {
  auto decoder = protocol.decoder();
  LiveText live;
  for (const auto& d : data)
    decoder->on_event(SseEvent{"", d}, live);
  if (text != nullptr) *text = live.text;
  if (thinking != nullptr) *thinking = live.thinking;
  return decoder->finish();
}

TEST(OpenAiProtocol, AssemblesTextToolCallPiecesAndUsage) {
  auto protocol = make_openai_protocol();
  std::string text, thinking;
  auto turn = decode(
      *protocol,
      {R"({"model":"gpt-4o-2024","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]})",
       R"({"choices":[{"index":0,"delta":{"content":"lo","reasoning_content":"hmm"}}]})",
       R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"read_file","arguments":"{\"pa"}}]}}]})",
       R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"th\":\"a\"}"}}]}}]})",
       R"({"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})",
       R"({"choices":[],"usage":{"prompt_tokens":50,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":10}}})",
       "[DONE]"},
      &text, &thinking);
  EXPECT_TRUE(turn.complete);
  EXPECT_EQ(text, "Hello");
  EXPECT_EQ(thinking, "hmm");
  EXPECT_EQ(turn.text, "Hello");
  EXPECT_EQ(turn.model, "gpt-4o-2024");
  ASSERT_EQ(turn.tool_calls.size(), 1u);
  EXPECT_EQ(turn.tool_calls[0].id, "call_1");
  EXPECT_EQ(turn.tool_calls[0].name, "read_file");
  EXPECT_EQ(turn.tool_calls[0].arguments, R"({"path":"a"})");
  ASSERT_TRUE(turn.usage);
  EXPECT_EQ(turn.usage->input_tokens, 50);
  EXPECT_EQ(turn.usage->cached_input_tokens, 10);
  EXPECT_EQ(turn.usage->output_tokens, 7);
  EXPECT_EQ(turn.message.at("tool_calls").as_array().size(), 1u);

  json::array conversation;
  protocol->add_user_text(conversation, "go");
  protocol->add_turn(conversation, turn, {ToolCallResult{"no such file", true}});
  ASSERT_EQ(conversation.size(), 3u);
  EXPECT_EQ(conversation[2].at("role").as_string(), "tool");
  EXPECT_EQ(conversation[2].at("tool_call_id").as_string(), "call_1");
  EXPECT_EQ(conversation[2].at("content").as_string(), "ERROR: no such file");
}

TEST(OpenAiProtocol, AStreamCutOffBeforeItsEndIsNotComplete) {
  auto protocol = make_openai_protocol();
  auto turn = decode(*protocol, {R"({"choices":[{"index":0,"delta":{"content":"par"}}]})"});
  EXPECT_FALSE(turn.complete);
  auto failed = decode(*protocol, {R"({"error":{"message":"overloaded"}})"});
  ASSERT_TRUE(failed.error);
  EXPECT_EQ(*failed.error, "overloaded");
}

TEST(OpenAiProtocol, RequestCarriesSystemPromptToolsKeyAndUsageOption) {
  auto protocol = make_openai_protocol();
  json::array conversation;
  protocol->add_user_text(conversation, "hi");
  auto request = protocol->build_request(Endpoint{"http://127.0.0.1:9/v1", "gpt-4o", "sk-x"},
                                         "be brief", conversation,
                                         {ToolSpec{"list_files", "lists", R"({"type":"object"})"}});
  EXPECT_EQ(request.url, "http://127.0.0.1:9/v1/chat/completions");
  EXPECT_THAT(request.headers, ::testing::Contains("Authorization: Bearer sk-x"));
  auto body = json::parse(request.body).as_object();
  EXPECT_TRUE(body.at("stream").as_bool());
  EXPECT_TRUE(body.at("stream_options").at("include_usage").as_bool());
  EXPECT_EQ(body.at("messages").as_array()[0].at("role").as_string(), "system");
  const auto& function = body.at("tools").as_array()[0].at("function");
  EXPECT_EQ(function.at("name").as_string(), "list_files");
  EXPECT_TRUE(function.at("parameters").as_object().contains("properties"));
  auto keyless = protocol->build_request(Endpoint{"http://x/v1", "m", ""}, "", conversation, {});
  ASSERT_FALSE(keyless.headers.empty());
  for (const auto& header : keyless.headers)
    EXPECT_THAT(header, Not(HasSubstr("Authorization")));
}

TEST(OpenAiProtocol, RateLimitResetPrefersTheExhaustedLimitAndRetryAfter) {
  auto protocol = make_openai_protocol();
  HttpResponse response;
  response.status = 429;
  response.headers = {{"x-ratelimit-reset-requests", "6m0s"},
                      {"x-ratelimit-remaining-requests", "10"},
                      {"x-ratelimit-reset-tokens", "2s"},
                      {"x-ratelimit-remaining-tokens", "0"}};
  auto reset = protocol->rate_limit_reset(response, 1000);
  EXPECT_EQ(reset.resets_at_unix_s, 1002);
  EXPECT_EQ(reset.limit_type, "tokens");
  response.headers.emplace_back("retry-after", "30");
  EXPECT_EQ(protocol->rate_limit_reset(response, 1000).resets_at_unix_s, 1030);
}

TEST(GeminiProtocol, AssemblesTextAndFunctionCallsKeepingTheirParts) {
  auto protocol = make_gemini_protocol();
  std::string text, thinking;
  auto turn = decode(
      *protocol,
      {R"({"candidates":[{"content":{"role":"model","parts":[{"text":"pondering","thought":true}]}}]})",
       R"({"candidates":[{"content":{"role":"model","parts":[{"text":"Let "}]}}],"modelVersion":"gemini-2.5-flash"})",
       R"({"candidates":[{"content":{"role":"model","parts":[{"text":"me."}]}}]})",
       R"({"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"read_file","args":{"path":"a"}},"thoughtSignature":"sig"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":5,"thoughtsTokenCount":3,"cachedContentTokenCount":8}})"},
      &text, &thinking);
  EXPECT_TRUE(turn.complete);
  EXPECT_EQ(text, "Let me.");
  EXPECT_EQ(thinking, "pondering");
  EXPECT_EQ(turn.model, "gemini-2.5-flash");
  ASSERT_EQ(turn.tool_calls.size(), 1u);
  EXPECT_EQ(turn.tool_calls[0].name, "read_file");
  EXPECT_EQ(turn.tool_calls[0].arguments, R"({"path":"a"})");
  ASSERT_TRUE(turn.usage);
  EXPECT_EQ(turn.usage->output_tokens, 8);
  EXPECT_EQ(turn.usage->cached_input_tokens, 8);
  const auto& parts = turn.message.at("parts").as_array();
  // The thought kept as sent, the two text pieces merged, the call kept with its signature.
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1].at("text").as_string(), "Let me.");
  EXPECT_EQ(parts[2].at("thoughtSignature").as_string(), "sig");

  json::array conversation;
  protocol->add_user_text(conversation, "go");
  protocol->add_turn(conversation, turn, {ToolCallResult{"content of a", false}});
  protocol->add_user_text(conversation, "continue");
  ASSERT_EQ(conversation.size(), 3u);
  const auto& last = conversation[2].as_object();
  EXPECT_EQ(last.at("role").as_string(), "user");
  EXPECT_EQ(last.at("parts").as_array().size(), 2u);  // the function response and the text
  EXPECT_EQ(last.at("parts").as_array()[0].at("functionResponse").at("response").at("result"),
            "content of a");
}

TEST(GeminiProtocol, ToolSchemasBecomeTheOpenApiSubset) {
  auto protocol = make_gemini_protocol();
  const std::string schema = R"({"type":"object","additionalProperties":false,
    "properties":{"story_id":{"type":"string","minLength":1},
                  "labels":{"type":"array","items":{"type":"string"}},
                  "note":{"type":["string","null"]},
                  "mode":{"const":"fast"}},
    "required":["story_id"]})";
  auto request = protocol->build_request(
      Endpoint{"http://127.0.0.1:9", "gemini-2.5-flash", "k"}, "sys", json::array{},
      {ToolSpec{"t", "d", schema}, ToolSpec{"none", "no params", R"({"type":"object"})"}});
  EXPECT_EQ(request.url,
            "http://127.0.0.1:9/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
  EXPECT_THAT(request.headers, ::testing::Contains("x-goog-api-key: k"));
  auto body = json::parse(request.body).as_object();
  EXPECT_EQ(body.at("systemInstruction").at("parts").as_array()[0].at("text"), "sys");
  const auto& declarations = body.at("tools").as_array()[0].at("functionDeclarations").as_array();
  const auto& parameters = declarations[0].at("parameters").as_object();
  EXPECT_EQ(parameters.at("type"), "OBJECT");
  EXPECT_FALSE(parameters.contains("additionalProperties"));
  EXPECT_EQ(parameters.at("properties").at("labels").at("items").at("type"), "STRING");
  EXPECT_EQ(parameters.at("properties").at("note").at("nullable"), true);
  EXPECT_EQ(parameters.at("properties").at("note").at("type"), "STRING");
  EXPECT_EQ(parameters.at("properties").at("mode").at("enum").as_array()[0], "fast");
  EXPECT_FALSE(declarations[1].as_object().contains("parameters"));
}

TEST(GeminiProtocol, RateLimitResetFromRetryInfo) {
  auto protocol = make_gemini_protocol();
  HttpResponse response;
  response.status = 429;
  response.error_body = R"({"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED",
    "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generate_content_requests"}]},
               {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}})";
  auto reset = protocol->rate_limit_reset(response, 100);
  EXPECT_EQ(reset.resets_at_unix_s, 137);
  EXPECT_EQ(reset.limit_type, "generate_content_requests");
  EXPECT_EQ(api_error_message(response.error_body), "quota");
  EXPECT_EQ(api_error_message("[{\"error\":{\"message\":\"in an array\"}}]"), "in an array");
  EXPECT_EQ(api_error_message("plain text\n"), "plain text");
}

}  // namespace
}  // namespace stork::agents::api
