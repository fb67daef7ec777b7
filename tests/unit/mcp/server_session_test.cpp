// Sessions over time and the GET stream: DELETE, expiry, one stream per session, keep-alives,
// tools/list_changed and server log messages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mcp_test_support.hpp"

namespace stork::mcp::testing {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

using McpSessions = McpServerTest;

Headers stream_headers(const std::string& session) {
  return {{"Mcp-Session-Id", session}, {"Accept", "text/event-stream"}};
}

TEST_F(McpSessions, Delete_EndsTheSessionAndLaterRequestsGet404) {
  std::string session = open_session();
  Reply deleted = del({{"Mcp-Session-Id", session}});
  EXPECT_EQ(deleted.status, 200u);
  EXPECT_EQ(server().session_count(), 0u);
  EXPECT_EQ(post_in_session(session, request(1, "ping")).status, 404u);
  EXPECT_EQ(del({{"Mcp-Session-Id", session}}).status, 404u);
}

TEST_F(McpSessions, Delete_WithoutSessionHeaderIs400) {
  EXPECT_EQ(del({}).status, 400u);
}

TEST_F(McpSessions, Delete_CancelsTheSessionsRunningCalls) {
  std::string session = open_session();
  Reply reply = post_in_session(session, tool_call(1, "wait", "{}"));
  auto sink = std::make_shared<RecordingSink>();
  auto stream = start_stream(reply, sink);
  ASSERT_TRUE(eventually([&] { return wait_started_.load(); }));
  EXPECT_EQ(del({{"Mcp-Session-Id", session}}).status, 200u);
  ASSERT_EQ(stream.wait_for(3s), std::future_status::ready);
  EXPECT_TRUE(saw_cancel_);
}

TEST_F(McpSessions, IdleSession_ExpiresAndIsSwept) {
  options_.session_idle_timeout = 100ms;
  std::string stale = open_session();
  std::string fresh = open_session();
  // Time passing is what is under test: no event to wait for instead.
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(server().session_count(), 2u);  // swept lazily, on the next request
  EXPECT_EQ(post_in_session(stale, request(1, "ping")).status, 404u);
  EXPECT_EQ(server().session_count(), 0u);
  EXPECT_EQ(post_in_session(fresh, request(1, "ping")).status, 404u);
}

TEST_F(McpSessions, UsedSession_DoesNotExpire) {
  options_.session_idle_timeout = 150ms;
  std::string session = open_session();
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(60ms);
    ASSERT_EQ(post_in_session(session, request(i, "ping")).status, 200u) << i;
  }
}

TEST_F(McpSessions, Get_WithoutSessionIs405AllowingPostAndDelete) {
  Reply reply = get({{"Accept", "text/event-stream"}});
  EXPECT_EQ(reply.status, 405u);
  EXPECT_EQ(reply.header("Allow"), "POST, DELETE");
}

TEST_F(McpSessions, Get_WithoutEventStreamAcceptIs406) {
  std::string session = open_session();
  EXPECT_EQ(get({{"Mcp-Session-Id", session}, {"Accept", "application/json"}}).status, 406u);
}

TEST_F(McpSessions, Get_UnknownSessionIs404) {
  EXPECT_EQ(get(stream_headers("ffffffffffffffffffffffffffffffff")).status, 404u);
}

TEST_F(McpSessions, Get_UnsupportedProtocolVersionIs400) {
  std::string session = open_session();
  Headers headers = stream_headers(session);
  headers["MCP-Protocol-Version"] = "2026-07-28";
  EXPECT_EQ(get(headers).status, 400u);
}

TEST_F(McpSessions, Get_OpensAStreamThatCarriesToolListChanges) {
  std::string session = open_session();
  Reply reply = get(stream_headers(session));
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.content_type, "text/event-stream");
  auto sink = std::make_shared<RecordingSink>();
  auto stream = start_stream(reply, sink);
  // The stream is registered once it runs; a change before that reaches nobody.
  ASSERT_TRUE(eventually([&] { return get(stream_headers(session)).status == 409u; }));
  registry_->remove("refuse");
  auto changed = sink->wait_for([](const json::value& message) {
    return has_method(message, "notifications/tools/list_changed");
  });
  EXPECT_TRUE(changed.has_value());
  sink->close();
  ASSERT_EQ(stream.wait_for(3s), std::future_status::ready);
}

TEST_F(McpSessions, Get_SecondStreamWhileTheFirstIsOpenIs409AndAllowedAfterItCloses) {
  std::string session = open_session();
  auto first_sink = std::make_shared<RecordingSink>();
  auto first = start_stream(get(stream_headers(session)), first_sink);
  ASSERT_TRUE(eventually([&] { return get(stream_headers(session)).status == 409u; }));
  first_sink->close();
  ASSERT_EQ(first.wait_for(3s), std::future_status::ready);
  Reply again = get(stream_headers(session));
  EXPECT_EQ(again.status, 200u);
}

TEST_F(McpSessions, Get_StreamSendsKeepAlives) {
  options_.stream_keepalive = 20ms;
  options_.stream_poll = 5ms;
  std::string session = open_session();
  auto sink = std::make_shared<RecordingSink>();
  auto stream = start_stream(get(stream_headers(session)), sink);
  EXPECT_TRUE(eventually([&] { return sink->keep_alives() >= 3; }));
  EXPECT_TRUE(sink->messages().empty());
  sink->close();
  ASSERT_EQ(stream.wait_for(3s), std::future_status::ready);
}

TEST_F(McpSessions, Get_StreamEndsWhenTheSessionIsDeleted) {
  std::string session = open_session();
  auto sink = std::make_shared<RecordingSink>();
  auto stream = start_stream(get(stream_headers(session)), sink);
  ASSERT_TRUE(eventually([&] { return get(stream_headers(session)).status == 409u; }));
  EXPECT_EQ(del({{"Mcp-Session-Id", session}}).status, 200u);
  EXPECT_EQ(stream.wait_for(3s), std::future_status::ready);
}

TEST_F(McpSessions, Get_OpenStreamKeepsTheSessionAlive) {
  options_.session_idle_timeout = 100ms;
  options_.stream_poll = 5ms;
  std::string session = open_session();
  auto sink = std::make_shared<RecordingSink>();
  auto stream = start_stream(get(stream_headers(session)), sink);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(post_in_session(session, request(1, "ping")).status, 200u);
  sink->close();
  ASSERT_EQ(stream.wait_for(3s), std::future_status::ready);
}

TEST_F(McpSessions, NotifyLog_ReachesGetStreamsWhoseLevelAdmitsIt) {
  std::string quiet = open_session();
  std::string chatty = open_session();
  post_in_session(quiet, request(1, "logging/setLevel", R"({"level": "error"})"));
  post_in_session(chatty, request(1, "logging/setLevel", R"({"level": "debug"})"));
  auto quiet_sink = std::make_shared<RecordingSink>();
  auto chatty_sink = std::make_shared<RecordingSink>();
  auto quiet_stream = start_stream(get(stream_headers(quiet)), quiet_sink);
  auto chatty_stream = start_stream(get(stream_headers(chatty)), chatty_sink);
  ASSERT_TRUE(eventually([&] {
    return get(stream_headers(quiet)).status == 409u && get(stream_headers(chatty)).status == 409u;
  }));

  server().notify_log("info", "merge of 42 started");
  server().notify_log("error", "merge of 42 failed");
  auto failed = [](const json::value& message) {
    return has_method(message, "notifications/message") &&
           message.at("params").at("data") == "merge of 42 failed";
  };
  ASSERT_TRUE(chatty_sink->wait_for(failed).has_value());
  ASSERT_TRUE(quiet_sink->wait_for(failed).has_value());
  EXPECT_EQ(chatty_sink->messages().size(), 2u);
  EXPECT_EQ(quiet_sink->messages().size(), 1u);
  EXPECT_EQ(
      chatty_sink->messages()[0].at("params"),
      json::parse(R"({"level": "info", "logger": "storkit", "data": "merge of 42 started"})"));

  quiet_sink->close();
  chatty_sink->close();
  ASSERT_EQ(quiet_stream.wait_for(3s), std::future_status::ready);
  ASSERT_EQ(chatty_stream.wait_for(3s), std::future_status::ready);
}

TEST_F(McpSessions, ServerDestruction_EndsOpenStreams) {
  std::string session = open_session();
  auto sink = std::make_shared<RecordingSink>();
  auto stream = start_stream(get(stream_headers(session)), sink);
  ASSERT_TRUE(eventually([&] { return get(stream_headers(session)).status == 409u; }));
  destroy_server();
  EXPECT_EQ(stream.wait_for(3s), std::future_status::ready);
}

}  // namespace
}  // namespace stork::mcp::testing
