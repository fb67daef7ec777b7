// The real `stork` binary as a client of a running server: the test process serves the REST
// API (pool, pipeline, routes on 127.0.0.1, port 0) and runs `stork agent|status|cost` against
// it with --port, as a user's shell would.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../unit/api/api_fixture.hpp"
#include "base/file_io.hpp"
#include "base/subprocess.hpp"
#include "support/git_fixture.hpp"

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

void point_mcp_json_at(const std::filesystem::path& root, unsigned short port) {
  write_text(root / ".mcp.json",
             R"({"mcpServers":{"storkit":{"type":"http","url":"http://127.0.0.1:)" +
                 std::to_string(port) + R"(/mcp"}}})");
}

// Issue 15: `stork story move` bypassed the running server (its rules, its merge queue, its
// board); now it goes through it, and --local still moves the file when asked.
TEST_F(CliClient, StoryMoveGoesThroughTheRunningServer) {
  start_api();
  point_mcp_json_at(root(), port());
  add_item(Stage::Backlog, "1_story_x");
  add_item(Stage::Qa, "2_spike_y");
  git(root(), {"add", ".storkit/work"});
  git(root(), {"commit", "-qm", "items"});

  auto moved = stork({"story", "move", "1", "current"}, /*with_port=*/false);
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_EQ(moved.out, "1_story_x: backlog -> current\n");
  // The server committed the move before it answered: nothing left for `git commit -am`.
  EXPECT_EQ(git(root(), {"status", "--porcelain", "--", ".storkit/work"}), "");
  auto events = get("/api/events?after=0");
  ASSERT_EQ(events.status, 200u);
  bool by_the_server = false;
  for (const auto& event : events.json.at("events").as_array()) {
    const auto& e = event.as_object();
    if (e.at("story") == "1_story_x" && e.at("type") == "moved")
      by_the_server = by_the_server || e.at("payload").at("reason") == "moved by hand";
  }
  EXPECT_TRUE(by_the_server) << boost::json::serialize(events.json);

  auto again = stork({"story", "move", "1", "current"}, false);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "1_story_x is already in current\n");

  auto refused = stork({"story", "move", "2", "merge"}, false);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("spikes never merge"));
  EXPECT_EQ(stage_of("2_spike_y"), Stage::Qa);

  auto local = stork({"story", "move", "1", "backlog", "--local"}, false);
  ASSERT_EQ(local.exit_code, 0) << local.err;
  EXPECT_EQ(local.out, "1_story_x: current -> backlog\n");
  EXPECT_EQ(stage_of("1_story_x"), Stage::Backlog);
}

// An agent that reports what Claude Code does: its session, its model, and in its result the
// session's cost so far ($0.003272 the first time, $0.006544 once resumed). Of stage other, so
// the pipeline leaves its runs alone (no gate, no retry).
TestAgent costed_helper() {
  return TestAgent{
      "helper", "other",
      R"(echo '{"type":"system","subtype":"init","session_id":"sess-7","model":"scripted-model"}'; )"
      R"(cost=0.003272; [ -n "$STORK_RESUME_SESSION" ] && cost=0.006544; )"
      R"(echo "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,)"
      R"(\"total_cost_usd\":$cost,\"usage\":{\"input_tokens\":10,\"output_tokens\":2}}")"};
}

// Issue 15 item 9: runs listed with their own cost, an older run's events, costs as people
// read them ($0.0033, not $3.272E-3, not the session's total, not $0.00).
TEST_F(CliClient, AgentRunsAndLogsShowEachRunsOwnCost) {
  start_api({costed_helper(), bystander()});
  add_item(Stage::Current, "1_story_cost");
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto started = stork({"agent", "start", "1", "--agent", "helper"});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    auto followed = stork({"agent", "logs", "1", "--follow"});
    ASSERT_EQ(followed.exit_code, 0) << followed.err;
    EXPECT_THAT(followed.out, HasSubstr("result: success, $0.0033\n"));
  }
  auto runs = stork({"agent", "runs", "1", "--json"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  const auto listed = boost::json::parse(runs.out).at("runs").as_array();
  ASSERT_EQ(listed.size(), 2u);
  const auto& newest = listed[0].as_object();
  const auto& oldest = listed[1].as_object();
  // The second start resumed the first run's session: its record says so.
  EXPECT_EQ(newest.at("session_id"), "sess-7");
  EXPECT_EQ(newest.at("model"), "scripted-model");
  EXPECT_NEAR(newest.at("cost_usd").to_number<double>(), 0.003272, 1e-9);

  auto table = stork({"agent", "runs", "1"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("RUN"));
  EXPECT_THAT(table.out, HasSubstr("$0.0033"));
  EXPECT_THAT(table.out, HasSubstr("sess-7"));

  const auto older = std::to_string(oldest.at("id").as_int64());
  auto logs = stork({"agent", "logs", "--run", older});
  ASSERT_EQ(logs.exit_code, 0) << logs.err;
  EXPECT_THAT(logs.out, HasSubstr("session: sess-7"));
  EXPECT_THAT(logs.out, HasSubstr("result: success, $0.0033"));
  EXPECT_THAT(logs.out, ::testing::Not(HasSubstr("E-3")));

  auto status = stork({"status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("1_story_cost"));
  EXPECT_THAT(status.out, HasSubstr("$0.0065"));  // both runs' own costs, not $0.01 or $0.00
}

// `stork status` and `stork cost` read the project's own files when no server runs.
TEST_F(CliClient, StatusAndCostWorkWithoutAServer) {
  add_item(Stage::Current, "3_story_offline");
  record_usage("3_story_offline", "coder-1", "sonnet", 1234, 0.0033);
  point_mcp_json_at(root(), unused_port());  // nothing listens there
  const auto db_before = read_text(root() / ".storkit" / "state.db");

  auto status = stork({"status"}, /*with_port=*/false);
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("current (1)"));
  EXPECT_THAT(status.out, HasSubstr("3_story_offline"));
  EXPECT_THAT(status.out, HasSubstr("$0.0033"));
  EXPECT_THAT(status.out, HasSubstr("no server running"));
  auto json = stork({"status", "--json"}, false);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto parsed = boost::json::parse(json.out);
  EXPECT_EQ(parsed.at("server"), false);
  EXPECT_EQ(parsed.at("pipeline").at("stages").at("current").as_array().size(), 1u);

  auto cost = stork({"cost", "--by", "model"}, false);
  ASSERT_EQ(cost.exit_code, 0) << cost.err;
  EXPECT_THAT(cost.out, HasSubstr("sonnet"));
  EXPECT_THAT(cost.out, HasSubstr("1234"));
  EXPECT_THAT(cost.out, HasSubstr("0.0033"));
  EXPECT_EQ(read_text(root() / ".storkit" / "state.db"), db_before);  // read-only
}

}  // namespace
}  // namespace stork::testing
