#include "app/mcp_endpoint.hpp"

#include <chrono>
#include <future>
#include <memory>

#include <boost/asio/use_future.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app_test_support.hpp"
#include "base/wait_group.hpp"
#include "mcp/server.hpp"

namespace stork::app {
namespace {

using ::testing::HasSubstr;

class McpEndpointTest : public ::testing::Test {
 protected:
  http::Request post(std::string body, std::string accept = "application/json") {
    http::Request made;
    made.method = "POST";
    made.path = made.target = "/mcp";
    made.headers["Content-Type"] = "application/json";
    made.headers["Accept"] = std::move(accept);
    if (!session_.empty()) made.headers["Mcp-Session-Id"] = session_;
    made.body = std::move(body);
    return made;
  }

  void open_session() {
    auto initialize =
        post(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":)"
             R"("2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})");
    auto response = io_.run(endpoint_->handle(initialize));
    ASSERT_EQ(response.status, 200u) << response.body;
    for (const auto& [name, value] : response.headers) {
      if (name == "Mcp-Session-Id") session_ = value;
    }
    ASSERT_FALSE(session_.empty());
  }

  // Streams check for a closed client only every hour here: a stream then stays open until
  // its tool call returns, which the tests control.
  static mcp::Options slow_poll() {
    mcp::Options options;
    options.stream_poll = std::chrono::hours(1);
    return options;
  }

  // A tool that answers once the test releases `held_`.
  void add_held_tool() {
    mcp::Tool tool;
    tool.name = "held";
    tool.input_schema = boost::json::object{{"type", "object"}};
    tool.handler = [group = held_group_](
                       const boost::json::object&,
                       mcp::ToolContext&) -> boost::asio::awaitable<mcp::ToolResult> {
      co_await group.wait();
      co_return mcp::ToolResult::ok_json(boost::json::object{{"released", true}});
    };
    tools_->add(std::move(tool));
  }

  testing::IoThread io_;
  std::shared_ptr<mcp::ToolRegistry> tools_ = std::make_shared<mcp::ToolRegistry>();
  WaitGroup held_group_;
  WaitGroup::Token held_ = held_group_.add();
  std::unique_ptr<mcp::Server> server_;
  std::unique_ptr<McpEndpoint> endpoint_;

  McpEndpointTest() { start_server({}); }
  void start_server(mcp::Options options) {
    endpoint_.reset();
    server_ = std::make_unique<mcp::Server>(
        io_.io().get_executor(), mcp::ServerInfo{"storkit", "1.2.3", ""}, tools_, options);
    endpoint_ = std::make_unique<McpEndpoint>(io_.io().get_executor(), *server_);
  }
  std::string session_;
};

TEST_F(McpEndpointTest, JsonRepliesKeepStatusHeadersAndBody) {
  open_session();
  auto ping = post(R"({"jsonrpc":"2.0","id":2,"method":"ping"})");
  auto response = io_.run(endpoint_->handle(ping));
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"jsonrpc":"2.0","id":2,"result":{}})");
  EXPECT_FALSE(response.stream);

  auto bad = post("{oops");
  auto parse_error = io_.run(endpoint_->handle(bad));
  EXPECT_EQ(parse_error.status, 400u);
  EXPECT_THAT(parse_error.body, HasSubstr("-32700"));
}

TEST_F(McpEndpointTest, StreamedRepliesBecomeEventStreamsThatDrainEnds) {
  open_session();
  http::Request get;
  get.method = "GET";
  get.path = get.target = "/mcp";
  get.headers["Accept"] = "text/event-stream";
  get.headers["Mcp-Session-Id"] = session_;
  auto response = io_.run(endpoint_->handle(get));
  ASSERT_EQ(response.status, 200u) << response.body;
  ASSERT_TRUE(response.stream);
  EXPECT_EQ(endpoint_->open_streams(), 1u);
  EXPECT_FALSE(response.stream->closed());

  EXPECT_TRUE(io_.run(endpoint_->drain(std::chrono::seconds(2))));
  EXPECT_EQ(endpoint_->open_streams(), 0u);
  EXPECT_TRUE(response.stream->closed());
}

TEST_F(McpEndpointTest, DrainWaitsForAStreamHeldOpenAndEndsWhenItsCoroutineReturns) {
  start_server(slow_poll());
  add_held_tool();
  open_session();
  auto call = post(R"({"jsonrpc":"2.0","id":3,"method":"tools/call",)"
                   R"("params":{"name":"held","arguments":{}}})",
                   "application/json, text/event-stream");
  auto response = io_.run(endpoint_->handle(call));
  ASSERT_EQ(response.status, 200u) << response.body;
  ASSERT_TRUE(response.stream);
  EXPECT_EQ(endpoint_->open_streams(), 1u);

  // The call holds its stream's coroutine: drain closes the stream but must wait, and says so.
  EXPECT_FALSE(io_.run(endpoint_->drain(std::chrono::milliseconds(50))));
  EXPECT_TRUE(response.stream->closed());
  EXPECT_EQ(endpoint_->open_streams(), 1u);

  // Once the call returns, its coroutine ends and a waiting drain completes at once: the
  // limit is an hour, so only the stream's own signal can end it within the test's wait.
  auto drained = boost::asio::co_spawn(io_.io(), endpoint_->drain(std::chrono::hours(1)),
                                       boost::asio::use_future);
  held_.release();
  ASSERT_EQ(drained.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(drained.get());
  EXPECT_EQ(endpoint_->open_streams(), 0u);
}

TEST_F(McpEndpointTest, DrainWithNoOpenStreamIsTrueAtOnce) {
  EXPECT_TRUE(io_.run(endpoint_->drain(std::chrono::hours(1))));
}

}  // namespace
}  // namespace stork::app
