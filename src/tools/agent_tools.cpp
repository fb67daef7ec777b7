// Tools on agents, worktrees, QA and merges, and the pipeline as a whole.
#include <boost/json/array.hpp>

#include "agents/agent_pool.hpp"
#include "tools/tool_groups.hpp"

namespace stork::tools {
namespace json = boost::json;

void register_agent_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  mcp::Tool list;
  list.name = "list_agents";
  list.title = "Agent runs";
  list.description = "Lists every run the server knows of: item, agent, status, model, session.";
  list.input_schema = json::object{
      {"type", "object"}, {"properties", json::object{}}, {"additionalProperties", false}};
  list.read_only = true;
  list.handler = [pool = services.pool](
                     const json::object&,
                     mcp::ToolContext&) -> boost::asio::awaitable<mcp::ToolResult> {
    const auto runs = co_await pool->list_agents();
    json::array agents;
    for (const auto& run : runs) {
      agents.push_back(json::object{
          {"story_id", run.story_id},
          {"agent_name", run.agent_name},
          {"status", agents::to_string(run.status)},
          {"model", run.model},
          {"session_id", run.session_id ? json::value(*run.session_id) : json::value(nullptr)}});
    }
    co_return mcp::ToolResult::ok_json(json::object{{"agents", std::move(agents)}});
  };
  registry.add(std::move(list));
}

}  // namespace stork::tools
