// The real `stork` binary as a client of a running server: the test process serves the REST
// API (pool, pipeline, routes on 127.0.0.1, port 0) and runs `stork agent|status|cost` against
// it with --port, as a user's shell would.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../unit/api/api_fixture.hpp"
#include "base/subprocess.hpp"

namespace stork::testing {
namespace {

using ::testing::HasSubstr;

class CliClient : public ApiTest {
 protected:
  CommandOutput stork(std::vector<std::string> args, bool with_port = true) {
    args.insert(args.begin(), {STORK_BINARY, "--project", root().string()});
    if (with_port) {
      args.push_back("--port");
      args.push_back(std::to_string(port()));
    }
    auto result = run_command(Command{args, root(), {}, {}, {}});
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result.ok() ? *result : CommandOutput{};
  }
};

unsigned short unused_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();  // closed again when the acceptor goes
}

TEST_F(CliClient, AgentStartLogsListStatusAndCostTalkToTheServer) {
  start_api({coder(), bystander()});
  add_item(Stage::Backlog, "1_story_ok_export");
  auto idle = stork({"agent", "list"});
  ASSERT_EQ(idle.exit_code, 0) << idle.err;
  EXPECT_THAT(idle.out, HasSubstr("coder-1"));
  EXPECT_THAT(idle.out, HasSubstr("idle"));

  auto started = stork({"agent", "start", "1"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_THAT(started.out, HasSubstr("started coder-1 on 1_story_ok_export"));

  auto logs = stork({"agent", "logs", "1", "--agent", "coder-1", "--follow"});
  ASSERT_EQ(logs.exit_code, 0) << logs.err;
  EXPECT_THAT(logs.out, HasSubstr("completed"));  // the last events: status and done

  auto status = stork({"status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("1_story_ok_export"));

  auto json = stork({"agent", "list", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto roster = boost::json::parse(json.out);
  EXPECT_EQ(roster.at("agents").as_array().size(), 2u);
}

TEST_F(CliClient, CostPrintsATableWithTotals) {
  start_api();
  record_usage("1_story_a", "coder-1", "sonnet", 1234, 0.5);
  auto cost = stork({"cost", "--by", "agent"});
  ASSERT_EQ(cost.exit_code, 0) << cost.err;
  EXPECT_THAT(cost.out, HasSubstr("AGENT"));
  EXPECT_THAT(cost.out, HasSubstr("coder-1"));
  EXPECT_THAT(cost.out, HasSubstr("1234"));
  EXPECT_THAT(cost.out, HasSubstr("TOTAL"));
  EXPECT_THAT(cost.out, HasSubstr("0.5000"));
  auto bad = stork({"cost", "--by", "week"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST_F(CliClient, RefusalsCarryTheServersMessageAndExitCode) {
  start_api({TestAgent{"coder-1", "coder", "sleep 30"}, bystander()});
  add_item(Stage::Backlog, "1_story_job");
  auto unknown = stork({"agent", "start", "77"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("77"));
  auto unsafe = stork({"agent", "start", "../x"});
  EXPECT_EQ(unsafe.exit_code, 2);
  EXPECT_THAT(unsafe.err, HasSubstr("invalid story id"));
  ASSERT_EQ(stork({"agent", "start", "1"}).exit_code, 0);
  auto again = stork({"agent", "start", "1", "--agent", "coder-1"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("coder-1"));
  auto stopped = stork({"agent", "stop", "1", "coder-1"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_THAT(stopped.out, HasSubstr("stopped coder-1 on 1_story_job"));
}

TEST_F(CliClient, NoServerListeningSaysHowToStartOne) {
  start_api();
  const auto port = unused_port();
  write_text(dir_ / ".mcp.json",
             R"({"mcpServers":{"storkit":{"type":"http","url":"http://127.0.0.1:)" +
                 std::to_string(port) + R"(/mcp"}}})");
  auto result = stork({"agent", "list"}, /*with_port=*/false);  // the port comes from .mcp.json
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, HasSubstr("no stork server on 127.0.0.1:" + std::to_string(port) +
                                    ": start it with `stork serve`"));
}

TEST_F(CliClient, ServerAddressComesFromMcpJsonWhichMustBeReadable) {
  start_api();
  write_text(dir_ / ".mcp.json",
             R"({"mcpServers":{"storkit":{"type":"http","url":"http://localhost:)" +
                 std::to_string(port()) + R"(/mcp"}}})");
  auto found = stork({"agent", "list"}, /*with_port=*/false);
  EXPECT_EQ(found.exit_code, 0) << found.err;
  EXPECT_THAT(found.out, HasSubstr("watcher"));
  write_text(dir_ / ".mcp.json", "{ not json");
  auto broken = stork({"status"}, /*with_port=*/false);
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_THAT(broken.err, HasSubstr(".mcp.json: not valid JSON"));
}

}  // namespace
}  // namespace stork::testing
