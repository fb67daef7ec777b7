#include "tools/agent_tool_host.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "mcp/server.hpp"
#include "mcp/tool_call.hpp"
#include "mcp/tool_registry.hpp"
#include "tools/worktree_builtin_tools.hpp"

namespace stork::tools {
namespace json = boost::json;
namespace {

using agents::ToolCallResult;

// Not offered to API runs: the built-in run_command replaces the MCP one (no story_id to
// pass, the worktree is the run's), and prompt_permission answers Claude Code alone.
bool hidden_from_api_runs(const std::string& name) {
  return name == "run_command" || name == "prompt_permission";
}

std::string result_text(const mcp::ToolResult& result) {
  std::string text;
  for (const auto& block : result.text) {
    if (!text.empty()) text += "\n";
    text += block;
  }
  if (text.empty() && result.structured) text = json::serialize(*result.structured);
  return text;
}

class AgentToolHost final : public agents::ToolHost {
 public:
  AgentToolHost(boost::asio::any_io_executor executor, mcp::Server& server,
                std::shared_ptr<const mcp::ToolRegistry> registry, std::filesystem::path root,
                boost::asio::any_io_executor workers)
      : executor_(std::move(executor)),
        workers_(std::move(workers)),
        server_(server),
        registry_(std::move(registry)),
        project_root_(std::move(root)) {}

  std::vector<agents::ToolSpec> list_tools() const override {
    std::vector<agents::ToolSpec> specs;
    for (const auto& tool : worktree_builtin_tools())
      specs.push_back({tool.name, tool.description, json::serialize(tool.input_schema)});
    for (const auto& tool : registry_->snapshot()) {
      if (hidden_from_api_runs(tool->name) || is_worktree_builtin(tool->name)) continue;
      const json::object entry = mcp::tool_list_entry(*tool);
      specs.push_back({tool->name, tool->description, json::serialize(entry.at("inputSchema"))});
    }
    return specs;
  }

  void call(const std::string& name, const std::string& arguments_json,
            const agents::ToolCaller& caller, std::function<void(ToolCallResult)> done) override {
    boost::system::error_code ec;
    json::value arguments = json::parse(arguments_json, ec);
    if (ec || !arguments.is_object()) {
      return done({"The arguments of " + name +
                       " are not a JSON object. Call it again with a JSON object that matches "
                       "its parameters.",
                   true});
    }
    if (is_worktree_builtin(name)) {
      if (!workers_) {
        return call_worktree_builtin(executor_, project_root_, name, arguments.as_object(), caller,
                                     std::move(done));
      }
      // File reads and writes of any size: off the caller's thread, which may be an io thread.
      boost::asio::post(workers_, [executor = executor_, root = project_root_, name,
                                   object = std::move(arguments.as_object()), caller,
                                   done = std::move(done)]() mutable {
        call_worktree_builtin(executor, root, name, object, caller, std::move(done));
      });
      return;
    }
    if (hidden_from_api_runs(name) || !registry_->find(name)) {
      std::string known;
      for (const auto& spec : list_tools())
        known += (known.empty() ? "" : ", ") + spec.name;
      return done({"Unknown tool: " + name + ". The tools of this run are: " + known, true});
    }
    // The MCP server's own dispatch (validation included), in-process.
    boost::asio::co_spawn(
        executor_,
        [&server = server_, name, arguments = std::move(arguments),
         done = std::move(done)]() mutable -> boost::asio::awaitable<void> {
          mcp::ToolResult result = co_await server.call_tool(name, std::move(arguments));
          done({result_text(result), result.is_error});
        },
        boost::asio::detached);
  }

 private:
  boost::asio::any_io_executor executor_;
  boost::asio::any_io_executor workers_;
  mcp::Server& server_;
  std::shared_ptr<const mcp::ToolRegistry> registry_;
  std::filesystem::path project_root_;
};

}  // namespace

std::shared_ptr<agents::ToolHost> make_agent_tool_host(
    boost::asio::any_io_executor executor, mcp::Server& server,
    std::shared_ptr<const mcp::ToolRegistry> registry, std::filesystem::path project_root,
    boost::asio::any_io_executor workers) {
  return std::make_shared<AgentToolHost>(std::move(executor), server, std::move(registry),
                                         std::move(project_root), std::move(workers));
}

}  // namespace stork::tools
