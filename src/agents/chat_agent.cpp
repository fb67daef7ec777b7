#include "agents/chat_agent.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace stork::agents {
namespace {

// Flags of the CLI that would undo the confinement; the second set takes a value.
constexpr std::array<std::string_view, 2> kDroppedFlags{"--dangerously-skip-permissions",
                                                        "--allow-dangerously-skip-permissions"};
constexpr std::array<std::string_view, 4> kDroppedOptions{"--permission-mode", "--allowedTools",
                                                          "--disallowedTools", "--allowed-tools"};

bool contains(const auto& set, std::string_view word) {
  return std::find(set.begin(), set.end(), word) != set.end();
}

}  // namespace

PermissionMode chat_permission_mode(std::optional<PermissionMode> configured) {
  return configured == PermissionMode::Deny ? PermissionMode::Deny : PermissionMode::Ask;
}

AgentConfig chat_agent_config(const AgentConfig& agent) {
  if (agent.runtime != "claude-code") return agent;
  AgentConfig chat = agent;
  chat.allowed_tools.assign(std::begin(kChatAllowedTools), std::end(kChatAllowedTools));
  chat.permission_mode = chat_permission_mode(agent.permission_mode);
  chat.args.clear();
  for (std::size_t i = 0; i < agent.args.size(); ++i) {
    const std::string& arg = agent.args[i];
    if (contains(kDroppedFlags, arg)) continue;
    if (contains(kDroppedOptions, arg)) {
      ++i;  // and its value
      continue;
    }
    const auto equals = arg.find('=');
    if (equals != std::string::npos && contains(kDroppedOptions, arg.substr(0, equals))) continue;
    chat.args.push_back(arg);
  }
  // Last: the option takes several words, so nothing may follow it.
  chat.args.insert(chat.args.end(), {"--disallowedTools", std::string(kChatDisallowedTools)});
  return chat;
}

}  // namespace stork::agents
