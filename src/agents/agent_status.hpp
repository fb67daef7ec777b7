// AgentStatus: where one run of an agent on an item stands, as the pool, the board and the MCP
// tools report it. Richer than the scheduling rules' RunStatus: a throttled or rate-limit
// blocked run still occupies its agent, so both map to Running there.
#pragma once

#include <optional>
#include <string_view>

#include "pipeline/snapshot.hpp"

namespace stork::agents {

enum class AgentStatus {
  Pending,      // registered; worktree being prepared, process not started yet
  Running,      // process running
  Throttled,    // running, but the model provider warned about its rate limit
  Blocked,      // stopped by a hard rate limit; resumed by itself after the reset time
  Completed,    // process ended successfully
  Failed,       // process failed, could not start, or was killed for inactivity
  Stopped,      // stopped on request (worktree kept)
  Interrupted,  // the server went away while it ran; resumed at the next start-up
};

std::string_view to_string(AgentStatus status);  // "pending", "running", ...
std::optional<AgentStatus> parse_agent_status(std::string_view text);

// Active runs own their agent and their stage on the item (storkit story 132).
constexpr bool is_active(AgentStatus status) {
  return status == AgentStatus::Pending || status == AgentStatus::Running ||
         status == AgentStatus::Throttled || status == AgentStatus::Blocked;
}

// Final states: wait_for_agent returns when a run reaches one. Blocked is not final (the run
// resumes by itself) and neither is Interrupted (resumed at start-up).
constexpr bool is_finished(AgentStatus status) {
  return status == AgentStatus::Completed || status == AgentStatus::Failed ||
         status == AgentStatus::Stopped;
}

pipeline::RunStatus to_run_status(AgentStatus status);

}  // namespace stork::agents
