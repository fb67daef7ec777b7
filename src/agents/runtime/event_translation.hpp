// From what agents print to RuntimeEvents: Claude Code stream-json lines become typed events
// (nothing dropped: a line of an unknown type becomes a `raw` event), other lines `output`.
#pragma once

#include <string_view>
#include <vector>

#include "agents/runtime/runtime.hpp"

namespace stork::agents {

// A line of `claude -p --output-format stream-json`. Lines that are not JSON (the CLI's own
// error messages) become `output` events.
void translate_claude_line(std::string_view line, std::vector<RuntimeEvent>& events);

// A line of a `command` agent: stream-json objects as above, anything else `output`.
void translate_command_line(std::string_view line, std::vector<RuntimeEvent>& events);

// Events the pool itself emits.
RuntimeEvent status_event(std::string_view status, std::string_view reason = {});
RuntimeEvent error_event(std::string_view message);
RuntimeEvent done_event(std::string_view status, std::string_view exit_reason,
                        const std::optional<std::string>& session_id);

}  // namespace stork::agents
