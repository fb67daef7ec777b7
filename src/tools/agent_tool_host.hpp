// The ToolHost the app gives the agent pool for the API runtimes (openai, gemini): the model is
// offered the built-in worktree tools (read_file, write_file, list_files, run_command; see
// worktree_builtin_tools.hpp) and every storkit MCP tool of `registry` (except the MCP
// run_command, which the built-in one replaces, and prompt_permission, which only Claude Code
// uses). MCP tools are called in-process through `server.call_tool`: the same argument
// validation and results as tools/call over HTTP, no HTTP. The built-in file tools run on
// `workers` (the app's shared pool; empty: on the calling thread). The server, the registry and
// the executors must outlive the pool that uses this host.
#pragma once

#include <filesystem>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "agents/runtime/tool_host.hpp"

namespace stork::mcp {
class Server;
class ToolRegistry;
}  // namespace stork::mcp

namespace stork::tools {

std::shared_ptr<agents::ToolHost> make_agent_tool_host(
    boost::asio::any_io_executor executor, mcp::Server& server,
    std::shared_ptr<const mcp::ToolRegistry> registry, std::filesystem::path project_root,
    boost::asio::any_io_executor workers = {});

}  // namespace stork::tools
