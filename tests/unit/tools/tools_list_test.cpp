// tools/list as a client sees it: every storkit tool (the setup wizard's aside) with an object
// input schema that refuses unknown arguments, and annotations that match what the tool does.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "agents/awaitable_result.hpp"
#include "mcp/server.hpp"
#include "tools/tool_services.hpp"

namespace stork::testing {
namespace {

namespace json = boost::json;

// STORKIT.md "MCP tools", without wizard_*.
const std::set<std::string> kStorkitTools = {"create_story",        "validate_stories",
                                             "list_upcoming",       "get_story_todos",
                                             "check_criterion",     "update_story",
                                             "move_story",          "status",
                                             "record_tests",        "ensure_acceptance",
                                             "create_bug",          "list_bugs",
                                             "close_bug",           "unblock",
                                             "start_agent",         "stop_agent",
                                             "list_agents",         "get_agent_config",
                                             "reload_agent_config", "get_agent_output",
                                             "wait_for_agent",      "report_completion",
                                             "create_worktree",     "list_worktrees",
                                             "remove_worktree",     "request_qa",
                                             "approve_qa",          "reject_qa",
                                             "move_story_to_merge", "merge_agent_work",
                                             "get_merge_status",    "report_merge_failure",
                                             "run_command",         "get_pipeline_status",
                                             "prompt_permission"};

json::value post(mcp::Server& server, boost::asio::io_context& io, const std::string& session,
                 const std::string& body) {
  mcp::HttpExchange exchange;
  exchange.method = "POST";
  exchange.body = body;
  exchange.header = [session](std::string_view name) -> std::string {
    auto is = [name](std::string_view wanted) {
      return std::equal(name.begin(), name.end(), wanted.begin(), wanted.end(),
                        [](char a, char b) { return std::tolower(a) == std::tolower(b); });
    };
    if (is("Content-Type") || is("Accept")) return "application/json";
    if (is("Mcp-Session-Id")) return session;
    return "";
  };
  auto reply = agents::run_blocking(io, server.handle(exchange));
  if (!reply.header("Mcp-Session-Id").empty()) return json::string(reply.header("Mcp-Session-Id"));
  return json::parse(reply.body);
}

class ToolsListTest : public ::testing::Test {
 protected:
  ToolsListTest() : work_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {
    // Listing calls no handler: the services may stay empty.
    tools::register_storkit_tools(*registry_, tools::ToolServices{});
  }
  ~ToolsListTest() override {
    server_.reset();
    work_.reset();
    io_.stop();
    thread_.join();
  }

  json::array list_tools() {
    auto session = post(*server_, io_, "",
                        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":)"
                        R"({"protocolVersion":"2025-06-18","capabilities":{},)"
                        R"("clientInfo":{"name":"test","version":"1"}}})");
    EXPECT_TRUE(session.is_string());
    auto answer = post(*server_, io_, std::string(session.as_string()),
                       R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})");
    return answer.at("result").at("tools").as_array();
  }

  std::shared_ptr<mcp::ToolRegistry> registry_ = std::make_shared<mcp::ToolRegistry>();
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
  std::unique_ptr<mcp::Server> server_ =
      std::make_unique<mcp::Server>(io_.get_executor(), mcp::ServerInfo{}, registry_);
};

TEST_F(ToolsListTest, ToolsList_OffersEveryStorkitToolButTheWizard) {
  std::set<std::string> listed;
  for (const auto& tool : list_tools())
    listed.insert(std::string(tool.at("name").as_string()));
  EXPECT_EQ(listed, kStorkitTools);
}

TEST_F(ToolsListTest, ToolsList_EveryToolHasAClosedObjectSchemaAndADescription) {
  for (const auto& entry : list_tools()) {
    const auto& tool = entry.as_object();
    const auto name = std::string(tool.at("name").as_string());
    const auto& schema = tool.at("inputSchema").as_object();
    EXPECT_EQ(schema.at("type"), "object") << name;
    EXPECT_TRUE(schema.at("properties").is_object()) << name;
    EXPECT_EQ(schema.at("additionalProperties"), false) << name;
    if (const auto* required = schema.if_contains("required")) {
      for (const auto& property : required->as_array())
        EXPECT_TRUE(schema.at("properties").as_object().contains(property.as_string())) << name;
    }
    EXPECT_GT(tool.at("description").as_string().size(), 40u) << name;
    EXPECT_TRUE(tool.at("annotations").is_object()) << name;
  }
}

TEST_F(ToolsListTest, ToolsList_AnnotationsSayWhatReadsAndWhatDestroys) {
  std::set<std::string> read_only, destructive;
  for (const auto& entry : list_tools()) {
    const auto& annotations = entry.at("annotations").as_object();
    const auto name = std::string(entry.at("name").as_string());
    if (annotations.at("readOnlyHint").as_bool()) read_only.insert(name);
    if (annotations.at("destructiveHint").as_bool()) destructive.insert(name);
  }
  for (const auto* name : {"list_upcoming", "get_story_todos", "status", "list_agents",
                           "get_agent_output", "get_pipeline_status", "get_merge_status",
                           "validate_stories", "list_bugs", "list_worktrees"})
    EXPECT_TRUE(read_only.contains(name)) << name;
  for (const auto* name : {"create_story", "check_criterion", "start_agent", "run_command",
                           "merge_agent_work", "approve_qa"})
    EXPECT_FALSE(read_only.contains(name)) << name;
  for (const auto* name : {"remove_worktree", "stop_agent", "run_command", "close_bug"})
    EXPECT_TRUE(destructive.contains(name)) << name;
}

}  // namespace
}  // namespace stork::testing
