// The prompt an agent is started with: its configured template with the placeholders filled
// in, or stork's default when it has none, plus the resume context (why it is being restarted:
// the gate's output, a rate limit that reset, a server restart). A resumed session already
// holds the task, so it is sent only what is new: the resume context (storkit story 543).
// What happened while the agent was idle comes first, as a <recent-events> block (story 736).
#pragma once

#include <optional>
#include <string>

#include "config/project_config.hpp"

namespace stork::agents {

struct PromptInput {
  std::string story_id;
  std::string worktree_path;
  std::string base_branch;
  std::string item_text;  // the work item's markdown, front matter included
  std::optional<std::string> resume_context;
  std::optional<std::string> recent_events;  // a <recent-events> block (recent_events.hpp)
  bool resumed_session = false;              // the run continues an earlier session
};

std::string build_prompt(const AgentConfig& agent, const PromptInput& input);

}  // namespace stork::agents
