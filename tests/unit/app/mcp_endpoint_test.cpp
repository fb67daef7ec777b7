#include "app/mcp_endpoint.hpp"

#include <memory>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app_test_support.hpp"
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
    auto response = io_.run(endpoint_.handle(initialize));
    ASSERT_EQ(response.status, 200u) << response.body;
    for (const auto& [name, value] : response.headers) {
      if (name == "Mcp-Session-Id") session_ = value;
    }
    ASSERT_FALSE(session_.empty());
  }

  testing::IoThread io_;
  std::shared_ptr<mcp::ToolRegistry> tools_ = std::make_shared<mcp::ToolRegistry>();
  mcp::Server server_{io_.io().get_executor(), mcp::ServerInfo{"storkit", "1.2.3", ""}, tools_};
  McpEndpoint endpoint_{io_.io().get_executor(), server_};
  std::string session_;
};

TEST_F(McpEndpointTest, JsonRepliesKeepStatusHeadersAndBody) {
  open_session();
  auto ping = post(R"({"jsonrpc":"2.0","id":2,"method":"ping"})");
  auto response = io_.run(endpoint_.handle(ping));
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"jsonrpc":"2.0","id":2,"result":{}})");
  EXPECT_FALSE(response.stream);

  auto bad = post("{oops");
  auto parse_error = io_.run(endpoint_.handle(bad));
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
  auto response = io_.run(endpoint_.handle(get));
  ASSERT_EQ(response.status, 200u) << response.body;
  ASSERT_TRUE(response.stream);
  EXPECT_EQ(endpoint_.open_streams(), 1u);
  EXPECT_FALSE(response.stream->closed());

  EXPECT_TRUE(io_.run(endpoint_.drain(std::chrono::seconds(2))));
  EXPECT_EQ(endpoint_.open_streams(), 0u);
  EXPECT_TRUE(response.stream->closed());
}

}  // namespace
}  // namespace stork::app
