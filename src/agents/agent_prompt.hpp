// The prompt an agent is started with: its configured template with the placeholders filled
// in, or stork's default when it has none, plus the resume context (why it is being restarted:
// the gate's output, a rate limit that reset, a server restart).
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
};

std::string build_prompt(const AgentConfig& agent, const PromptInput& input);

}  // namespace stork::agents
