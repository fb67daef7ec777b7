// The one JSON shape of an agent run, for REST (/api/agents, start, stop), the MCP agent tools
// and the CLI's --json. It carries `agent` (REST's name for the field) and `agent_name` (MCP's)
// with the same value, so no client of either loses a field; docs/items.md lists the fields.
#pragma once

#include <boost/json/object.hpp>

#include "agents/agent_pool.hpp"

namespace stork::ops {

// story_id, agent, agent_name, status, active, run_id, runtime, model, session_id,
// worktree_path, pid, started_at_ms, ended_at_ms, blocked_until_ms, exit_reason, events.
boost::json::object run_json(const agents::AgentInfo& run);

}  // namespace stork::ops
