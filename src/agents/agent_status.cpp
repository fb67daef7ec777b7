#include "agents/agent_status.hpp"

#include <array>
#include <utility>

namespace stork::agents {
namespace {

constexpr std::array<std::pair<AgentStatus, std::string_view>, 8> kNames{{
    {AgentStatus::Pending, "pending"},
    {AgentStatus::Running, "running"},
    {AgentStatus::Throttled, "throttled"},
    {AgentStatus::Blocked, "blocked"},
    {AgentStatus::Completed, "completed"},
    {AgentStatus::Failed, "failed"},
    {AgentStatus::Stopped, "stopped"},
    {AgentStatus::Interrupted, "interrupted"},
}};

}  // namespace

std::string_view to_string(AgentStatus status) {
  for (const auto& [value, name] : kNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<AgentStatus> parse_agent_status(std::string_view text) {
  for (const auto& [value, name] : kNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

pipeline::RunStatus to_run_status(AgentStatus status) {
  switch (status) {
    case AgentStatus::Pending:
      return pipeline::RunStatus::Pending;
    case AgentStatus::Running:
    case AgentStatus::Throttled:
    case AgentStatus::Blocked:
      return pipeline::RunStatus::Running;
    case AgentStatus::Completed:
      return pipeline::RunStatus::Completed;
    case AgentStatus::Failed:
    case AgentStatus::Stopped:
    case AgentStatus::Interrupted:
      return pipeline::RunStatus::Failed;
  }
  return pipeline::RunStatus::Failed;
}

}  // namespace stork::agents
