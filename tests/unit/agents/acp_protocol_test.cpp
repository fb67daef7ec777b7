// The ACP client's pure parts: JSON-RPC line parsing (hostile lines become errors naming the
// field), session/update translation into RuntimeEvents, the error classification that maps a
// 429 to a rate limit and a rejected key to a message naming the fix, and the worktree
// confinement of fs/read_text_file and fs/write_text_file.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agents/acp/json_rpc.hpp"
#include "agents/acp/prompt_errors.hpp"
#include "agents/acp/session_update.hpp"
#include "agents/acp/worktree_files.hpp"
#include "support/temp_dir.hpp"

namespace stork::acp {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

TEST(AcpJsonRpc, ParsesRequestsNotificationsAndResponses) {
  auto request = parse_message(
      R"({"jsonrpc":"2.0","id":0,"method":"fs/read_text_file","params":{"path":"/x"}})");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request.value().kind, MessageKind::Request);
  EXPECT_EQ(request.value().id, json::value(0));
  EXPECT_EQ(request.value().method, "fs/read_text_file");

  auto notification = parse_message(R"({"jsonrpc":"2.0","method":"session/update","params":{}})");
  ASSERT_TRUE(notification.ok());
  EXPECT_EQ(notification.value().kind, MessageKind::Notification);

  auto result = parse_message(R"({"jsonrpc":"2.0","id":3,"result":{"stopReason":"end_turn"}})");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().kind, MessageKind::Response);
  EXPECT_FALSE(result.value().error.has_value());
  EXPECT_EQ(result.value().result.at("stopReason"), "end_turn");

  auto error = parse_message(R"({"jsonrpc":"2.0","id":"a","error":{"code":-32603,"message":"x"}})");
  ASSERT_TRUE(error.ok());
  ASSERT_TRUE(error.value().error.has_value());
  EXPECT_EQ(error.value().error->code, -32603);
}

TEST(AcpJsonRpc, RejectsMalformedLinesNamingWhatIsWrong) {
  EXPECT_THAT(parse_message("Debugger attached.").error(), HasSubstr("not JSON"));
  EXPECT_THAT(parse_message("[1,2]").error(), HasSubstr("not a JSON object"));
  EXPECT_THAT(parse_message(R"({"id":true,"method":"m"})").error(), HasSubstr("'id'"));
  EXPECT_THAT(parse_message(R"({"id":1,"method":7})").error(), HasSubstr("'method'"));
  EXPECT_THAT(parse_message(R"({"method":"m","params":"x"})").error(), HasSubstr("'params'"));
  EXPECT_THAT(parse_message(R"({"id":1})").error(), HasSubstr("neither 'result' nor 'error'"));
  EXPECT_THAT(parse_message(R"({"jsonrpc":"2.0"})").error(), HasSubstr("no 'method'"));
}

TEST(AcpJsonRpc, EncodesOneNewlineTerminatedLinePerMessage) {
  const auto line = encode_request(4, "session/prompt", {{"sessionId", "s"}});
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  const auto parsed = json::parse(line).as_object();
  EXPECT_EQ(parsed.at("jsonrpc"), "2.0");
  EXPECT_EQ(parsed.at("id"), 4);
  EXPECT_EQ(parsed.at("method"), "session/prompt");
  const auto error = json::parse(encode_error(json::value("x"), kMethodNotFound, "no")).as_object();
  EXPECT_EQ(error.at("error").at("code"), kMethodNotFound);
}

json::value update(const char* text) {
  return json::parse(std::string(R"({"sessionId":"s","update":)") + text + "}");
}

TEST(AcpSessionUpdate, JoinsChunksAndTranslatesToolCalls) {
  SessionUpdateTranslator translator;
  std::vector<agents::RuntimeEvent> events;
  translator.translate(
      update(R"({"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"Hel"}})"),
      events);
  translator.translate(
      update(R"({"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"lo"}})"),
      events);
  EXPECT_TRUE(events.empty()) << "chunks wait for the rest of the message";
  translator.translate(
      update(
          R"({"sessionUpdate":"tool_call","toolCallId":"t1","title":"Write /w/a.txt","kind":"edit","rawInput":{"file_path":"/w/a.txt"}})"),
      events);
  translator.translate(
      update(R"({"sessionUpdate":"tool_call_update","toolCallId":"t1","status":"in_progress"})"),
      events);
  translator.translate(
      update(
          R"({"sessionUpdate":"tool_call_update","toolCallId":"t1","status":"failed","content":[{"type":"content","content":{"type":"text","text":"denied"}}]})"),
      events);
  translator.translate(
      update(R"({"sessionUpdate":"available_commands_update","availableCommands":[]})"), events);
  translator.translate(
      update(
          R"({"sessionUpdate":"plan","entries":[{"content":"write a.txt","status":"pending"}]})"),
      events);
  translator.translate(update(R"({"sessionUpdate":"something_new"})"), events);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].type, "assistant_text");
  EXPECT_EQ(json::parse(events[0].payload).at("text"), "Hello");
  EXPECT_EQ(events[1].type, "tool_use");
  EXPECT_EQ(json::parse(events[1].payload).at("input").at("file_path"), "/w/a.txt");
  EXPECT_EQ(events[2].type, "tool_result");
  EXPECT_EQ(json::parse(events[2].payload).at("is_error"), true);
  EXPECT_EQ(json::parse(events[2].payload).at("text"), "denied");
  EXPECT_EQ(events[3].type, "output");
  EXPECT_THAT(std::string(json::parse(events[3].payload).at("text").as_string()),
              HasSubstr("[pending] write a.txt"));
  EXPECT_EQ(events[4].type, "raw");
}

TEST(AcpSessionUpdate, ResultCarriesStopReasonUsageAndTheLastText) {
  SessionUpdateTranslator translator;
  std::vector<agents::RuntimeEvent> events;
  translator.translate(
      update(R"({"sessionUpdate":"agent_thought_chunk","content":{"type":"text","text":"hmm"}})"),
      events);
  translator.translate(
      update(R"({"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"Done."}})"),
      events);
  auto result = translator.result(
      json::parse(
          R"({"stopReason":"end_turn","usage":{"inputTokens":10,"outputTokens":3,"cachedReadTokens":2}})")
          .as_object(),
      events);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "thinking");
  EXPECT_EQ(events[1].type, "assistant_text");
  EXPECT_EQ(result.type, "result");
  EXPECT_FALSE(result.failed_result);
  ASSERT_TRUE(result.usage.has_value());
  EXPECT_EQ(result.usage->input_tokens, 10);
  EXPECT_EQ(result.usage->output_tokens, 3);
  EXPECT_EQ(result.usage->cache_read_input_tokens, 2);
  EXPECT_EQ(json::parse(result.payload).at("text"), "Done.");
  auto refused = translator.result(json::parse(R"({"stopReason":"refusal"})").as_object(), events);
  EXPECT_TRUE(refused.failed_result);
}

TEST(AcpPromptErrors, A429IsAHardRateLimitAndABadKeyNamesTheFix) {
  auto limited = classify_prompt_error(
      {-32603, "Internal error: API Error: 429 {\"type\":\"rate_limit_error\"}"}, "");
  ASSERT_TRUE(limited.rate_limit.has_value());
  EXPECT_TRUE(limited.rate_limit->hard);
  EXPECT_THAT(limited.message, HasSubstr("rate limited"));
  auto auth = classify_prompt_error({kAuthRequired, "Authentication required"}, "");
  EXPECT_FALSE(auth.rate_limit.has_value());
  EXPECT_THAT(auth.message, HasSubstr("API key"));
  auto other = classify_prompt_error({-32603, "Internal error: boom"}, "");
  EXPECT_FALSE(other.rate_limit.has_value());
  EXPECT_THAT(other.message, HasSubstr("boom"));
}

TEST(AcpWorktreeFiles, ReadsAndWritesInsideTheWorktreeOnly) {
  stork::testing::TempDir dir, outside;
  const auto worktree = dir.path();
  const auto inside = (worktree / "sub/a.txt").string();
  ASSERT_TRUE(write_worktree_file(worktree, inside, "one\ntwo\nthree\n").ok());
  EXPECT_EQ(read_worktree_file(worktree, inside, std::nullopt, std::nullopt).value(),
            "one\ntwo\nthree\n");
  EXPECT_EQ(read_worktree_file(worktree, inside, 2, 1).value(), "two\n");

  EXPECT_THAT(read_worktree_file(worktree, "sub/a.txt", std::nullopt, std::nullopt).error(),
              HasSubstr("not an absolute path"));
  EXPECT_THAT(write_worktree_file(worktree, (worktree / "../escape.txt").string(), "x").error(),
              HasSubstr("outside the worktree"));
  EXPECT_THAT(write_worktree_file(worktree, (worktree / ".git/config").string(), "x").error(),
              HasSubstr(".git"));
  // A symlink inside the worktree that points outside it is outside.
  std::filesystem::create_directory_symlink(outside.path(), worktree / "link");
  EXPECT_THAT(write_worktree_file(worktree, (worktree / "link/x.txt").string(), "x").error(),
              HasSubstr("outside the worktree"));
  EXPECT_FALSE(std::filesystem::exists(outside.path() / "x.txt"));
  std::filesystem::create_symlink("/etc/hostname", worktree / "host");
  EXPECT_THAT(read_worktree_file(worktree, (worktree / "host").string(), std::nullopt, std::nullopt)
                  .error(),
              HasSubstr("outside the worktree"));
}

}  // namespace
}  // namespace stork::acp
