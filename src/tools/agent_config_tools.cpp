// Tools on the agent roster of project.toml: read it (never environment values or prompts'
// secrets: only what describes an agent) and reload it after an edit.
#include <boost/asio/awaitable.hpp>

#include "tools/tool_groups.hpp"
#include "tools/tool_support.hpp"

namespace stork::tools {
namespace asio = boost::asio;
namespace {

using Handler = asio::awaitable<mcp::ToolResult>;

json::object agent_json(const AgentConfig& agent, const ProjectConfig& config) {
  auto model = agent.model;
  if (!model && agent.stage == AgentStage::Coder) model = config.default_coder_model;
  return json::object{
      {"name", agent.name},
      {"stage", to_string(agent.stage)},
      {"runtime", agent.runtime},
      {"model", model ? json::value(*model) : json::value(nullptr)},
      {"role", agent.role},
      {"max_turns", agent.max_turns ? json::value(*agent.max_turns) : json::value(nullptr)},
      {"max_budget_usd",
       agent.max_budget_usd ? json::value(*agent.max_budget_usd) : json::value(nullptr)},
      {"inactivity_timeout_secs", agent.inactivity_timeout_secs}};
}

json::object roster_json(const ProjectConfig& config) {
  json::array agents;
  for (const auto& agent : config.agents)
    agents.push_back(agent_json(agent, config));
  return json::object{{"agents", std::move(agents)},
                      {"max_coders", config.max_coders},
                      {"default_qa", to_string(config.default_qa)}};
}

mcp::Tool get_agent_config(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "get_agent_config";
  tool.title = "The agent roster";
  tool.description =
      "The agents of project.toml: name, stage (coder, qa, mergemaster, other), runtime, model, "
      "role, max_turns, max_budget_usd, inactivity_timeout_secs. With agent_name: that agent "
      "only. Use it to pick an agent for start_agent.";
  tool.input_schema = input_schema({agent_name_param(false)});
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [services](const json::object& args, mcp::ToolContext&) -> Handler {
    auto config = services.config ? services.config() : nullptr;
    if (!config) co_return mcp::ToolResult::error("No configuration is loaded");
    if (auto name = optional_text(args, "agent_name")) {
      const auto* agent = config->find_agent(*name);
      if (agent == nullptr) {
        co_return mcp::ToolResult::error("No agent '" + *name +
                                         "' in project.toml: call get_agent_config without "
                                         "agent_name for the roster");
      }
      co_return mcp::ToolResult::ok_json(agent_json(*agent, *config));
    }
    co_return mcp::ToolResult::ok_json(roster_json(*config));
  };
  return tool;
}

mcp::Tool reload_agent_config(const ToolServices& services) {
  mcp::Tool tool;
  tool.name = "reload_agent_config";
  tool.title = "Reload project.toml";
  tool.description =
      "Reads .storkit/project.toml again and applies it (roster, limits, QA mode). Runs already "
      "going keep the configuration they started with. On errors the old configuration stays "
      "and the errors are returned.";
  tool.input_schema = input_schema();
  tool.idempotent = true;
  tool.handler = [services](const json::object&, mcp::ToolContext&) -> Handler {
    if (!services.reload_config)
      co_return mcp::ToolResult::error("This server cannot reload its configuration");
    auto reloaded = services.reload_config();
    if (!reloaded.ok()) {
      co_return mcp::ToolResult::error(
          "project.toml was not applied; fix these errors and call "
          "reload_agent_config again:\n" +
          reloaded.error());
    }
    auto answer = roster_json(*reloaded.value());
    answer["reloaded"] = true;
    co_return mcp::ToolResult::ok_json(answer);
  };
  return tool;
}

}  // namespace

void register_agent_config_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  registry.add(get_agent_config(services));
  registry.add(reload_agent_config(services));
}

}  // namespace stork::tools
