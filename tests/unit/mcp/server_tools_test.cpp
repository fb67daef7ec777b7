// tools/list and tools/call: result shapes, tool errors, validation, SSE progress and logs,
// cancellation, and the in-process call_tool.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mcp_test_support.hpp"

namespace stork::mcp::testing {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

using McpTools = McpServerTest;

json::value result_of(const Reply& reply) {
  return json::parse(reply.body).at("result");
}
std::string first_text(const json::value& result) {
  return std::string(result.at("content").at(0).at("text").as_string());
}

TEST_F(McpTools, List_DescribesEveryToolInRegistrationOrder) {
  std::string session = open_session();
  Reply reply = post_in_session(session, request(1, "tools/list"));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  json::value result = result_of(reply);
  const auto& tools = result.at("tools").as_array();
  ASSERT_EQ(tools.size(), 6u);
  EXPECT_EQ(tools[0].at("name"), "echo");
  EXPECT_EQ(tools[1].at("name"), "sum");
  const auto& echo = tools[0].as_object();
  EXPECT_EQ(echo.at("title"), "Echo");
  EXPECT_EQ(echo.at("description"), "Returns its text.");
  EXPECT_EQ(echo.at("inputSchema").at("required").at(0), "text");
  EXPECT_FALSE(echo.contains("outputSchema"));
  EXPECT_EQ(echo.at("annotations"), json::parse(R"({"readOnlyHint": true, "destructiveHint": false,
                            "idempotentHint": true})"));
  EXPECT_EQ(tools[1].at("outputSchema").at("required").at(0), "sum");
  EXPECT_EQ(tools[2].at("annotations").at("destructiveHint"), true);
  // A tool without a schema still offers a valid one.
  EXPECT_EQ(tools[2].at("inputSchema"), json::parse(R"({"type": "object"})"));
}

TEST_F(McpTools, List_AloneInABatchOrAsAStreamGivesTheSameToolsAndFollowsRegistryChanges) {
  std::string session = open_session();
  // Alone and as JSON, tools/list is answered around a kept text; the other forms build it.
  Reply alone =
      post_in_session(session, request(7, "tools/list"), {{"Accept", "application/json"}});
  ASSERT_EQ(alone.status, 200u) << alone.body;
  const json::value reply = json::parse(alone.body);
  EXPECT_EQ(reply.at("jsonrpc"), "2.0");
  EXPECT_EQ(reply.at("id"), 7);
  Reply batch = post_in_session(session, "[" + request(8, "tools/list") + "]");
  ASSERT_EQ(batch.status, 200u) << batch.body;
  EXPECT_EQ(json::parse(batch.body).at(0).at("result"), reply.at("result"));
  Reply string_id =
      post_in_session(session, R"({"jsonrpc":"2.0","id":"x\"y","method":"tools/list"})");
  EXPECT_EQ(json::parse(string_id.body).at("id"), "x\"y");

  registry_->remove("echo");  // the kept text is dropped with the change
  EXPECT_TRUE(eventually([&] {
    Reply after = post_in_session(session, request(9, "tools/list"));
    return result_of(after).at("tools").as_array().size() == 5;
  }));
  EXPECT_EQ(
      result_of(post_in_session(session, request(10, "tools/list"))).at("tools").at(0).at("name"),
      "sum");
}

TEST_F(McpTools, Call_ReturnsTextContent) {
  std::string session = open_session();
  Reply reply = post_in_session(session, tool_call(1, "echo", R"({"text": "hello"})"),
                                {{"Accept", "application/json"}});
  ASSERT_EQ(reply.status, 200u);
  json::value result = result_of(reply);
  EXPECT_EQ(result.at("content"), json::parse(R"([{"type": "text", "text": "hello"}])"));
  EXPECT_EQ(result.at("isError"), false);
}

TEST_F(McpTools, Call_ReturnsStructuredContentAndItsTextForm) {
  std::string session = open_session();
  Reply reply = post_in_session(session, tool_call(1, "sum", R"({"a": 2, "b": 40})"),
                                {{"Accept", "application/json"}});
  json::value result = result_of(reply);
  EXPECT_EQ(result.at("structuredContent"), json::parse(R"({"sum": 42})"));
  EXPECT_EQ(json::parse(first_text(result)), json::parse(R"({"sum": 42})"));
}

TEST_F(McpTools, Call_ToolErrorIsAResultWithIsError) {
  std::string session = open_session();
  Reply reply =
      post_in_session(session, tool_call(1, "refuse", "{}"), {{"Accept", "application/json"}});
  json::value result = result_of(reply);
  EXPECT_EQ(result.at("isError"), true);
  EXPECT_THAT(first_text(result), HasSubstr("list_stories"));
}

TEST_F(McpTools, Call_UnknownToolIsInvalidParamsNamingTheTool) {
  std::string session = open_session();
  Reply reply =
      post_in_session(session, tool_call(1, "nope", "{}"), {{"Accept", "application/json"}});
  json::value body = json::parse(reply.body);
  EXPECT_EQ(body.at("error").at("code"), -32602);
  EXPECT_EQ(body.at("error").at("message"), "Unknown tool: nope");
  EXPECT_EQ(body.at("error").at("data").at("availableTools").at(0), "echo");
}

TEST_F(McpTools, Call_WithoutNameIsInvalidParams) {
  std::string session = open_session();
  Reply reply = post_in_session(session, request(1, "tools/call", R"({"arguments": {}})"),
                                {{"Accept", "application/json"}});
  EXPECT_EQ(json::parse(reply.body).at("error").at("code"), -32602);
}

TEST_F(McpTools, Call_InvalidArgumentsAreAToolErrorTheModelCanCorrect) {
  std::string session = open_session();
  struct Case {
    std::string arguments;
    std::string expected;
  };
  for (const Case& c : {Case{R"({"text": 5})", "argument 'text': expected string, got number"},
                        Case{R"({})", "argument 'text' is required (string)"},
                        Case{R"({"text": "x", "loud": true})", "argument 'loud' is not allowed"},
                        Case{R"({"text": "x", "times": 0})", "argument 'times': must be >= 1"},
                        Case{R"([1])", "arguments: expected object, got array"}}) {
    Reply reply = post_in_session(session, tool_call(1, "echo", c.arguments),
                                  {{"Accept", "application/json"}});
    ASSERT_EQ(reply.status, 200u);
    json::value result = result_of(reply);
    EXPECT_EQ(result.at("isError"), true) << c.arguments;
    EXPECT_THAT(first_text(result), HasSubstr(c.expected));
    EXPECT_THAT(first_text(result), HasSubstr("Invalid arguments for tool echo"));
  }
}

TEST_F(McpTools, Call_MissingArgumentsCountAsAnEmptyObject) {
  std::string session = open_session();
  Reply reply = post_in_session(session, request(1, "tools/call", R"({"name": "refuse"})"),
                                {{"Accept", "application/json"}});
  EXPECT_EQ(result_of(reply).at("isError"), true);
  EXPECT_THAT(first_text(result_of(reply)), HasSubstr("story 9"));
}

TEST_F(McpTools, Call_ThrowingHandlerIsAnInternalToolError) {
  std::string session = open_session();
  Reply reply =
      post_in_session(session, tool_call(1, "explode", "{}"), {{"Accept", "application/json"}});
  json::value result = result_of(reply);
  EXPECT_EQ(result.at("isError"), true);
  EXPECT_EQ(first_text(result), "internal error in tool explode: boom");
}

TEST_F(McpTools, Call_IsAnsweredAsSseWhenTheClientAcceptsIt) {
  std::string session = open_session();
  Reply reply = post_in_session(session, tool_call(7, "echo", R"({"text": "s"})"));
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.content_type, "text/event-stream");
  auto sink = std::make_shared<RecordingSink>();
  start_stream(reply, sink).get();
  auto messages = sink->messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].at("id"), 7);
  EXPECT_EQ(first_text(messages[0].at("result")), "s");
  EXPECT_EQ(sink->event_ids(), std::vector<std::string>{""});
}

TEST_F(McpTools, Call_SseStreamCarriesProgressAndLogsBeforeTheResult) {
  std::string session = open_session();
  Reply reply =
      post_in_session(session, tool_call(8, "progress", "{}", R"({"progressToken": "tok"})"));
  auto sink = std::make_shared<RecordingSink>();
  start_stream(reply, sink).get();
  auto messages = sink->messages();
  ASSERT_EQ(messages.size(), 5u) << json::serialize(json::value_from(messages));
  EXPECT_TRUE(has_method(messages[0], "notifications/progress"));
  EXPECT_EQ(messages[0].at("params"),
            json::parse(R"({"progressToken": "tok", "progress": 1, "total": 3,
                            "message": "first"})"));
  EXPECT_FALSE(messages[1].at("params").as_object().contains("message"));
  // The debug line is below the default level (info); the warning goes out.
  EXPECT_TRUE(has_method(messages[2], "notifications/message"));
  EXPECT_EQ(messages[2].at("params"),
            json::parse(R"({"level": "warning", "logger": "storkit", "data": "a warning line"})"));
  EXPECT_TRUE(has_method(messages[3], "notifications/progress"));
  EXPECT_TRUE(is_response_to(messages[4], 8));
}

TEST_F(McpTools, Call_WithoutProgressTokenSendsNoProgress) {
  std::string session = open_session();
  Reply reply = post_in_session(session, tool_call(8, "progress", "{}"));
  auto sink = std::make_shared<RecordingSink>();
  start_stream(reply, sink).get();
  for (const auto& message : sink->messages()) {
    EXPECT_FALSE(has_method(message, "notifications/progress"));
  }
}

TEST_F(McpTools, SetLevel_DecidesWhichToolLogsReachTheClient) {
  std::string session = open_session();
  auto count_logs = [&](std::string_view level) {
    post_in_session(
        session, request(1, "logging/setLevel", R"({"level": ")" + std::string(level) + R"("})"));
    Reply reply = post_in_session(session, tool_call(2, "progress", "{}"));
    auto sink = std::make_shared<RecordingSink>();
    start_stream(reply, sink).get();
    int logs = 0;
    for (const auto& message : sink->messages())
      logs += has_method(message, "notifications/message");
    return logs;
  };
  EXPECT_EQ(count_logs("debug"), 2);
  EXPECT_EQ(count_logs("warning"), 1);
  EXPECT_EQ(count_logs("error"), 0);
}

TEST_F(McpTools, Cancelled_ReachesTheRunningToolAndItsAnswerIsDropped) {
  std::string session = open_session();
  Reply reply = post_in_session(session, tool_call(42, "wait", "{}"));
  auto sink = std::make_shared<RecordingSink>();
  auto stream = start_stream(reply, sink);
  ASSERT_TRUE(eventually([&] { return wait_started_.load(); }));

  Reply cancel = post_in_session(session, R"({"jsonrpc": "2.0", "method": "notifications/cancelled",
                   "params": {"requestId": 42, "reason": "user pressed Esc"}})");
  EXPECT_EQ(cancel.status, 202u);
  ASSERT_EQ(stream.wait_for(3s), std::future_status::ready);
  EXPECT_TRUE(saw_cancel_);
  EXPECT_TRUE(saw_cancel_flag_);
  EXPECT_TRUE(sink->messages().empty());  // no response to a cancelled request
}

TEST_F(McpTools, Cancelled_ForAnotherIdLeavesTheCallRunning) {
  std::string session = open_session();
  Reply reply = post_in_session(session, tool_call(42, "wait", "{}"));
  auto sink = std::make_shared<RecordingSink>();
  auto stream = start_stream(reply, sink);
  ASSERT_TRUE(eventually([&] { return wait_started_.load(); }));
  post_in_session(session, R"({"jsonrpc": "2.0", "method": "notifications/cancelled",
                               "params": {"requestId": "42"}})");
  EXPECT_EQ(stream.wait_for(300ms), std::future_status::timeout);
  EXPECT_FALSE(saw_cancel_);
  sink->close();
  ASSERT_EQ(stream.wait_for(3s), std::future_status::ready);
}

TEST_F(McpTools, Disconnect_CancelsTheRunningTool) {
  std::string session = open_session();
  Reply reply = post_in_session(session, tool_call(1, "wait", "{}"));
  auto sink = std::make_shared<RecordingSink>();
  auto stream = start_stream(reply, sink);
  ASSERT_TRUE(eventually([&] { return wait_started_.load(); }));
  sink->close();
  ASSERT_EQ(stream.wait_for(3s), std::future_status::ready);
  EXPECT_TRUE(eventually([&] { return saw_cancel_.load(); }));
  EXPECT_TRUE(saw_cancel_flag_);
}

TEST_F(McpTools, LongCall_GetsKeepAlives) {
  options_.stream_keepalive = 20ms;
  options_.stream_poll = 5ms;
  std::string session = open_session();
  Reply reply = post_in_session(session, tool_call(1, "wait", "{}"));
  auto sink = std::make_shared<RecordingSink>();
  auto stream = start_stream(reply, sink);
  EXPECT_TRUE(eventually([&] { return sink->keep_alives() >= 2; }));
  sink->close();
  ASSERT_EQ(stream.wait_for(3s), std::future_status::ready);
}

TEST_F(McpTools, CancelledJsonCall_StillAnswersTheHttpRequest) {
  std::string session = open_session();
  std::thread canceller([&] {
    if (!eventually([&] { return wait_started_.load(); })) return;
    post_in_session(session, R"({"jsonrpc": "2.0", "method": "notifications/cancelled",
                                 "params": {"requestId": 3}})");
  });
  Reply reply =
      post_in_session(session, tool_call(3, "wait", "{}"), {{"Accept", "application/json"}});
  canceller.join();
  EXPECT_EQ(first_text(result_of(reply)), "cancelled");
}

TEST_F(McpTools, InProcessCall_ValidatesAndRunsWithoutASession) {
  boost::asio::io_context io;
  auto run = [&](std::string name, json::value args) {
    auto future = boost::asio::co_spawn(io, server().call_tool(std::move(name), std::move(args)),
                                        boost::asio::use_future);
    io.restart();
    io.run();
    return future.get();
  };
  ToolResult ok = run("echo", json::parse(R"({"text": "in-process"})"));
  EXPECT_FALSE(ok.is_error);
  EXPECT_EQ(ok.text, std::vector<std::string>{"in-process"});

  ToolResult invalid = run("echo", json::parse(R"({"text": 1})"));
  EXPECT_TRUE(invalid.is_error);
  EXPECT_THAT(invalid.text.at(0), HasSubstr("argument 'text': expected string, got number"));

  ToolResult unknown = run("nope", json::object());
  EXPECT_TRUE(unknown.is_error);
  EXPECT_THAT(unknown.text.at(0), HasSubstr("Unknown tool: nope"));

  ToolResult structured = run("sum", json::parse(R"({"a": 1, "b": 2})"));
  EXPECT_EQ(*structured.structured, json::parse(R"({"sum": 3})"));
  EXPECT_EQ(server().session_count(), 0u);
}

TEST(ToolResult, ConstructorsSetTextStructureAndErrorFlag) {
  EXPECT_EQ(ToolResult::ok("x").text, std::vector<std::string>{"x"});
  EXPECT_FALSE(ToolResult::ok("x").is_error);
  EXPECT_TRUE(ToolResult::error("bad").is_error);
  ToolResult object = ToolResult::ok_json(json::parse(R"({"a": [1]})"));
  EXPECT_EQ(object.text.at(0), R"({"a":[1]})");
  EXPECT_TRUE(object.structured.has_value());
  ToolResult array = ToolResult::ok_json(json::parse("[1, 2]"));
  EXPECT_EQ(array.text.at(0), "[1,2]");
  EXPECT_FALSE(array.structured.has_value());  // structuredContent must be an object
}

}  // namespace
}  // namespace stork::mcp::testing
