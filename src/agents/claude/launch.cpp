#include "agents/claude/launch.hpp"

#include <charconv>

#include <boost/json.hpp>

namespace stork::claude {
namespace {

// Shortest text that reads back as the same double (2.5 → "2.5", not "2.500000").
std::string format_amount(double amount) {
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, amount);
  return error == std::errc() ? std::string(buffer, end) : std::to_string(amount);
}

std::string join_with_commas(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) {
    if (!joined.empty()) joined += ',';
    joined += item;
  }
  return joined;
}

}  // namespace

std::vector<std::string> claude_argv(const AgentConfig& agent, const LaunchInput& input) {
  std::vector<std::string> argv;
  argv.push_back(agent.command.value_or("claude"));

  argv.insert(argv.end(), {"-p", "--input-format", "stream-json", "--output-format", "stream-json",
                           "--verbose"});

  if (auto model = agent.model ? agent.model : input.default_model)
    argv.insert(argv.end(), {"--model", *model});
  if (agent.max_turns) argv.insert(argv.end(), {"--max-turns", std::to_string(*agent.max_turns)});
  if (agent.max_budget_usd)
    argv.insert(argv.end(), {"--max-budget-usd", format_amount(*agent.max_budget_usd)});
  if (!agent.allowed_tools.empty())
    argv.insert(argv.end(), {"--allowedTools", join_with_commas(agent.allowed_tools)});
  if (agent.system_prompt)
    argv.insert(argv.end(), {"--append-system-prompt", *agent.system_prompt});
  if (!input.mcp_config.empty())
    argv.insert(argv.end(), {"--mcp-config", input.mcp_config.string()});
  if (input.resume_session) argv.insert(argv.end(), {"--resume", *input.resume_session});
  // Every mode sends the CLI's questions to stork; the tool applies the mode (permission_ops).
  if (agent.permission_mode)
    argv.insert(argv.end(), {"--permission-prompt-tool", std::string(kPermissionPromptTool)});

  argv.insert(argv.end(), agent.args.begin(), agent.args.end());
  return argv;
}

std::string claude_user_message(const std::string& text) {
  boost::json::object message{
      {"role", "user"},
      {"content", boost::json::array{boost::json::object{{"type", "text"}, {"text", text}}}}};
  return boost::json::serialize(boost::json::object{{"type", "user"}, {"message", message}}) + "\n";
}

}  // namespace stork::claude
