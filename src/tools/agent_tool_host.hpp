// The ToolHost the app gives the agent pool for the API runtimes (openai, gemini): the built-in
// worktree tools (worktree_builtin_tools.hpp; file tools on `workers`, the app's shared pool, or
// the calling thread without one) and every storkit MCP tool of `registry` but run_command and
// prompt_permission, called in-process through `server.call_tool` (tools/call's validation, no
// HTTP). The server, the registry and the executors must outlive the pool that uses this host.
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
