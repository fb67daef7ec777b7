// A real project for the MCP tools: the pipeline fixture's repository, pool and pipeline, with
// every storkit tool registered into a ToolRegistry behind an mcp::Server. Tools are called
// through Server::call_tool, so arguments pass the same validation as tools/call.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>
#include <boost/json/object.hpp>

#include "../engine/pipeline_fixture.hpp"
#include "mcp/server.hpp"
#include "ops/item_ops.hpp"
#include "tools/tool_services.hpp"

namespace stork::testing {

class ToolsTest : public PipelineTest {
 protected:
  ~ToolsTest() override;

  // Opens the pipeline with `agents` (default: no coder, one `other` agent, so nothing is
  // started unless a test asks) and registers the tools.
  void open_tools(std::vector<TestAgent> agents = {}, const std::string& extra = "");
  static TestAgent sleeper(const std::string& name = "coder-1");  // a coder that runs 30 s

  mcp::ToolResult call(const std::string& tool, const std::string& arguments = "{}");
  // The tool's JSON answer; fails the test when the call is an error.
  boost::json::object ok(const std::string& tool, const std::string& arguments = "{}");
  // The error text; fails the test when the call succeeded.
  std::string error(const std::string& tool, const std::string& arguments = "{}");

  // Writes an item with a body holding `criteria` as "- [ ]" lines.
  void add_story(Stage stage, const std::string& id, const std::vector<std::string>& criteria,
                 const std::string& front_matter = "");
  // Creates the item's worktree with the tool and commits a file there.
  std::filesystem::path commit_in_worktree(const std::string& id, const std::string& file);

  boost::asio::thread_pool workers_{2};  // the app's shared pool; joined after the tools go
  tools::ToolServices services_;
  std::shared_ptr<ops::ItemOps> items_;
  std::shared_ptr<const ProjectConfig> config_;
  std::shared_ptr<mcp::ToolRegistry> registry_;
  std::unique_ptr<mcp::Server> server_;
};

}  // namespace stork::testing
