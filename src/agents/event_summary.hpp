// One line of text for an event, for terminals and logs: "assistant: I will add the test",
// "tool Bash: git commit -m ...", "status: running". Payload fields are documented in
// docs/agent-events.md.
#pragma once

#include <string>

#include "agents/agent_event.hpp"

namespace stork::agents {

std::string summarize(const AgentEvent& event, std::size_t max_chars = 200);

}  // namespace stork::agents
