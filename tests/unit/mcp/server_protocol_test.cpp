// The JSON-RPC and Streamable HTTP rules of POST: handshake, sessions, error answers, batches,
// media types.
#include <mutex>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mcp_test_support.hpp"

namespace stork::mcp::testing {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kInitParams =
    R"({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}})";

using McpProtocol = McpServerTest;

TEST_F(McpProtocol, Initialize_NegotiatesASupportedVersionAndCreatesASession) {
  Reply reply = post(request(1, "initialize", kInitParams));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.content_type, "application/json");
  std::string session = reply.header("Mcp-Session-Id");
  EXPECT_EQ(session.size(), 32u);
  EXPECT_EQ(session.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(server().session_count(), 1u);

  json::value body = body_of(reply);
  EXPECT_EQ(body.at("jsonrpc"), "2.0");
  EXPECT_EQ(body.at("id"), 1);
  const auto& result = body.at("result").as_object();
  EXPECT_EQ(result.at("protocolVersion"), "2025-06-18");
  EXPECT_EQ(result.at("capabilities").at("tools").at("listChanged"), true);
  EXPECT_TRUE(result.at("capabilities").as_object().contains("logging"));
  EXPECT_EQ(result.at("serverInfo").at("name"), "storkit");
  EXPECT_EQ(result.at("serverInfo").at("version"), "0.1.0-test");
  EXPECT_EQ(result.at("instructions"), "Use the tools.");
}

TEST_F(McpProtocol, Initialize_AnswersAnUnsupportedVersionWithTheLatest) {
  Reply reply = post(request(1, "initialize", R"({"protocolVersion": "2024-01-01"})"));
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(body_of(reply).at("result").at("protocolVersion"), "2025-11-25");
}

TEST_F(McpProtocol, Initialize_WithoutProtocolVersionIsInvalidParamsAndCreatesNoSession) {
  Reply reply = post(request(1, "initialize", "{}"));
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(body_of(reply).at("error").at("code"), -32602);
  EXPECT_EQ(reply.header("Mcp-Session-Id"), "");
  EXPECT_EQ(server().session_count(), 0u);
}

TEST_F(McpProtocol, Initialize_GivesEachClientItsOwnSession) {
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.insert(open_session());
  EXPECT_EQ(ids.size(), 5u);
  EXPECT_EQ(server().session_count(), 5u);
}

TEST_F(McpProtocol, Ping_AnswersAnEmptyResult) {
  std::string session = open_session();
  Reply reply = post_in_session(session, R"({"jsonrpc": "2.0", "id": "p-1", "method": "ping"})");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(body_of(reply), json::parse(R"({"jsonrpc": "2.0", "id": "p-1", "result": {}})"));
}

TEST_F(McpProtocol, InvalidJson_Is400ParseErrorWithNullId) {
  Reply reply = post(R"({"jsonrpc": "2.0", "id": 1, )");
  EXPECT_EQ(reply.status, 400u);
  json::value body = body_of(reply);
  EXPECT_EQ(body.at("error").at("code"), -32700);
  EXPECT_TRUE(body.at("id").is_null());
}

TEST_F(McpProtocol, WrongJsonRpcVersion_Is400InvalidRequestEchoingTheId) {
  Reply reply = post(R"({"jsonrpc": "1.0", "id": 7, "method": "ping"})");
  EXPECT_EQ(reply.status, 400u);
  json::value body = body_of(reply);
  EXPECT_EQ(body.at("error").at("code"), -32600);
  EXPECT_EQ(body.at("id"), 7);
  EXPECT_THAT(std::string(body.at("error").at("message").as_string()), HasSubstr("\"2.0\""));
}

TEST_F(McpProtocol, MalformedMessages_AreInvalidRequests) {
  for (std::string_view bad :
       {R"({"jsonrpc": "2.0", "id": 1, "method": 5})",
        R"({"jsonrpc": "2.0", "id": {"x": 1}, "method": "ping"})",
        R"({"jsonrpc": "2.0", "id": null, "method": "ping"})", R"({"jsonrpc": "2.0", "id": 1})",
        R"("ping")", R"({"jsonrpc": "2.0", "id": 1, "method": "ping", "params": 3})"}) {
    Reply reply = post(std::string(bad));
    EXPECT_EQ(reply.status, 400u) << bad;
    EXPECT_EQ(body_of(reply).at("error").at("code"), -32600) << bad;
  }
}

TEST_F(McpProtocol, UnknownMethod_IsMethodNotFoundWithOrWithoutSession) {
  Reply without = post(request(3, "resources/list"));
  EXPECT_EQ(without.status, 200u);
  EXPECT_EQ(body_of(without).at("error").at("code"), -32601);
  EXPECT_EQ(body_of(without).at("id"), 3);

  std::string session = open_session();
  Reply with = post_in_session(session, request(4, "prompts/list"));
  EXPECT_EQ(with.status, 200u);
  EXPECT_EQ(body_of(with).at("error").at("code"), -32601);
}

// Claude Code 2.1 probes with server/discover and a future protocol version before it
// initializes, and falls back to initialize only when told the method is unknown.
TEST_F(McpProtocol, UnknownMethod_WinsOverSessionAndVersionChecks) {
  Reply probe = post(request(0, "server/discover"), {{"MCP-Protocol-Version", "2026-07-28"}});
  EXPECT_EQ(probe.status, 200u) << probe.body;
  EXPECT_EQ(body_of(probe).at("error").at("code"), -32601);

  Reply stale = post(request(0, "server/discover"),
                     {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Session-Id", "deadbeef"}});
  EXPECT_EQ(stale.status, 200u) << stale.body;
  EXPECT_EQ(body_of(stale).at("error").at("code"), -32601);
}

TEST_F(McpProtocol, KnownMethodWithoutSession_Is400NamingTheHeader) {
  Reply reply = post(request(1, "tools/list"));
  EXPECT_EQ(reply.status, 400u);
  json::value body = body_of(reply);
  EXPECT_EQ(body.at("error").at("code"), -32600);
  EXPECT_THAT(std::string(body.at("error").at("message").as_string()),
              HasSubstr("Bad Request: Mcp-Session-Id header is required"));
}

TEST_F(McpProtocol, UnknownSession_Is404) {
  Reply reply = post_in_session("0123456789abcdef0123456789abcdef", request(1, "tools/list"));
  EXPECT_EQ(reply.status, 404u);
  EXPECT_THAT(reply.body, HasSubstr("initialize"));
}

TEST_F(McpProtocol, UnsupportedProtocolVersionHeader_Is400AndAbsentHeaderIsFine) {
  std::string session = open_session();
  Reply wrong = post(request(1, "ping"),
                     {{"Mcp-Session-Id", session}, {"MCP-Protocol-Version", "1999-01-01"}});
  EXPECT_EQ(wrong.status, 400u);
  EXPECT_THAT(wrong.body, HasSubstr("2025-06-18"));
  Reply absent = post(request(1, "ping"), {{"Mcp-Session-Id", session}});
  EXPECT_EQ(absent.status, 200u);
  Reply older = post(request(1, "ping"),
                     {{"Mcp-Session-Id", session}, {"MCP-Protocol-Version", "2025-03-26"}});
  EXPECT_EQ(older.status, 200u);
}

TEST_F(McpProtocol, NotificationsOnly_Are202WithEmptyBody) {
  std::string session = open_session();
  Reply reply =
      post_in_session(session, R"([{"jsonrpc": "2.0", "method": "notifications/initialized"},
                  {"jsonrpc": "2.0", "method": "notifications/roots/list_changed"},
                  {"jsonrpc": "2.0", "id": 99, "result": {}}])");
  EXPECT_EQ(reply.status, 202u);
  EXPECT_EQ(reply.body, "");
  EXPECT_EQ(reply.content_type, "");
}

TEST_F(McpProtocol, Batch_AnswersEachRequestInOrderAndSkipsNotifications) {
  std::string session = open_session();
  Reply reply = post_in_session(session, R"([
      {"jsonrpc": "2.0", "id": 1, "method": "ping"},
      {"jsonrpc": "2.0", "method": "notifications/initialized"},
      {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
      {"jsonrpc": "2.0", "id": 3, "method": "no/such"},
      {"jsonrpc": "1.0", "id": 4, "method": "ping"},
      {"jsonrpc": "2.0", "id": 5, "method": "tools/call",
       "params": {"name": "echo", "arguments": {"text": "hi"}}}])",
                                {{"Accept", "application/json"}});
  ASSERT_EQ(reply.status, 200u) << reply.body;
  json::value body = body_of(reply);
  const auto& responses = body.as_array();
  ASSERT_EQ(responses.size(), 5u);
  EXPECT_EQ(responses[0].at("id"), 1);
  EXPECT_TRUE(responses[0].as_object().contains("result"));
  EXPECT_EQ(responses[1].at("id"), 2);
  EXPECT_EQ(responses[2].at("error").at("code"), -32601);
  EXPECT_EQ(responses[3].at("error").at("code"), -32600);
  EXPECT_EQ(responses[3].at("id"), 4);
  EXPECT_EQ(responses[4].at("result").at("content").at(0).at("text"), "hi");
}

TEST_F(McpProtocol, EmptyBatch_IsInvalidRequest) {
  Reply reply = post("[]");
  EXPECT_EQ(reply.status, 400u);
  EXPECT_EQ(body_of(reply).at("error").at("code"), -32600);
}

TEST_F(McpProtocol, OversizedBatch_IsRefused) {
  options_.max_batch = 2;
  std::string body =
      "[" + request(1, "ping") + "," + request(2, "ping") + "," + request(3, "ping") + "]";
  Reply reply = post(body);
  EXPECT_EQ(reply.status, 400u);
  EXPECT_THAT(reply.body, HasSubstr("at most 2"));
}

TEST_F(McpProtocol, InitializeInsideABatch_IsRefused) {
  Reply reply = post("[" + request(1, "initialize", kInitParams) + "]");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(body_of(reply).at(0).at("error").at("code"), -32600);
  EXPECT_EQ(server().session_count(), 0u);
}

TEST_F(McpProtocol, OversizedBody_Is413) {
  options_.max_body_bytes = 64;
  Reply reply = post(request(1, "initialize", kInitParams));
  EXPECT_EQ(reply.status, 413u);
}

TEST_F(McpProtocol, WrongContentType_Is415) {
  Reply reply = send(make_exchange("POST", request(1, "ping"), {{"Content-Type", "text/plain"}}));
  EXPECT_EQ(reply.status, 415u);
  EXPECT_EQ(body_of(reply).at("error").at("code"), -32600);
  Reply missing = send(make_exchange("POST", request(1, "ping"), {}));
  EXPECT_EQ(missing.status, 415u);
}

TEST_F(McpProtocol, JsonContentTypeWithParametersIsAccepted) {
  Reply reply = send(make_exchange("POST", request(1, "initialize", kInitParams),
                                   {{"Content-Type", "Application/JSON; charset=utf-8"}}));
  EXPECT_EQ(reply.status, 200u) << reply.body;
}

TEST_F(McpProtocol, AcceptWithNeitherJsonNorEventStream_Is406) {
  Reply reply = post(request(1, "initialize", kInitParams), {{"Accept", "text/html"}});
  EXPECT_EQ(reply.status, 406u);
  EXPECT_THAT(reply.body, HasSubstr("text/event-stream"));
}

TEST_F(McpProtocol, AcceptAbsentOrWildcard_AnswersJson) {
  Reply absent = send(make_exchange("POST", request(1, "initialize", kInitParams),
                                    {{"Content-Type", "application/json"}}));
  EXPECT_EQ(absent.status, 200u);
  EXPECT_EQ(absent.content_type, "application/json");
  Reply wildcard = post(request(1, "initialize", kInitParams), {{"Accept", "*/*"}});
  EXPECT_EQ(wildcard.content_type, "application/json");
}

TEST_F(McpProtocol, AcceptOnlyEventStream_AnswersAnyRequestAsSse) {
  std::string session = open_session();
  Reply reply = post_in_session(session, request(5, "ping"), {{"Accept", "text/event-stream"}});
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.content_type, "text/event-stream");
  auto sink = std::make_shared<RecordingSink>();
  start_stream(reply, sink).get();
  auto messages = sink->messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].at("id"), 5);
}

TEST_F(McpProtocol, BatchWithAToolCall_IsOneSseStreamWithEveryResponse) {
  std::string session = open_session();
  Reply reply = post_in_session(
      session, "[" + request(1, "ping") + "," + tool_call(2, "echo", R"({"text": "b"})") + "]");
  ASSERT_EQ(reply.content_type, "text/event-stream");
  auto sink = std::make_shared<RecordingSink>();
  start_stream(reply, sink).get();
  auto messages = sink->messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_TRUE(is_response_to(messages[0], 1));
  EXPECT_TRUE(is_response_to(messages[1], 2));
}

TEST_F(McpProtocol, ConcurrentClients_EachGetTheirOwnSession) {
  server();  // built lazily: build it before the threads race for it
  std::vector<std::thread> clients;
  std::mutex mutex;
  std::set<std::string> ids;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        Reply reply = post(request(i, "initialize", kInitParams));
        std::lock_guard lock(mutex);
        ids.insert(reply.header("Mcp-Session-Id"));
      }
    });
  }
  for (auto& client : clients)
    client.join();
  EXPECT_EQ(ids.size(), 40u);
  EXPECT_EQ(ids.count(""), 0u);
  EXPECT_EQ(server().session_count(), 40u);
}

TEST_F(McpProtocol, NonToolRequests_AreJsonEvenWhenSseIsAccepted) {
  std::string session = open_session();
  Reply reply = post_in_session(session, request(1, "tools/list"));
  EXPECT_EQ(reply.content_type, "application/json");
  EXPECT_FALSE(reply.stream);
}

TEST_F(McpProtocol, OtherHttpMethods_Are405WithAllow) {
  Reply reply = send(make_exchange("PUT", "", {}));
  EXPECT_EQ(reply.status, 405u);
  EXPECT_EQ(reply.header("allow"), "GET, POST, DELETE");
}

TEST_F(McpProtocol, LoggingSetLevel_RefusesAnUnknownLevel) {
  std::string session = open_session();
  Reply ok = post_in_session(session, request(1, "logging/setLevel", R"({"level": "debug"})"));
  EXPECT_TRUE(body_of(ok).as_object().contains("result"));
  Reply bad = post_in_session(session, request(2, "logging/setLevel", R"({"level": "loud"})"));
  EXPECT_EQ(bad.status, 200u);
  EXPECT_EQ(body_of(bad).at("error").at("code"), -32602);
  EXPECT_THAT(bad.body, HasSubstr("emergency"));
}

}  // namespace
}  // namespace stork::mcp::testing
