// How an `acp` run answers its agent's session/request_permission: through the app's
// PermissionHost (the agent's permission_mode, rules, a person) when the agent sets a
// permission_mode; with none set, every question is allowed (the agent runs unattended, as
// claude-code agents do with --dangerously-skip-permissions). docs/runtime-acp.md.
#pragma once

#include <functional>

#include "agents/acp/acp_client.hpp"
#include "agents/runtime/runtime.hpp"

namespace stork::agents {

// `deliver` hands an answer to the run's executor (answers may come on any thread).
acp::PermissionAsk acp_permission_ask(const LaunchContext& context,
                                      std::function<void(std::function<void()>)> deliver);

}  // namespace stork::agents
