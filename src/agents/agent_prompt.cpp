#include "agents/agent_prompt.hpp"

namespace stork::agents {
namespace {

// The work item's own file is not in the worktree (2_current/ and the later stages are not
// committed), so the default prompt carries its text.
constexpr std::string_view kDefaultPrompt =
    "You are {{agent_name}}, an agent run by stork. Work on the work item {{story_id}} in the "
    "git worktree {{worktree_path}}, on branch feature/story-{{story_id}} (based on "
    "{{base_branch}}). Implement what the item asks, make the project's tests pass "
    "(script/test), and commit your work on this branch. Use the storkit MCP tools to report "
    "progress and completion.";

std::string resumed_prompt(const PromptInput& input) {
  if (input.resume_context && !input.resume_context->empty()) return *input.resume_context;
  return "Continue your work on the work item " + input.story_id + ".";
}

std::string first_prompt(const AgentConfig& agent, const PromptInput& input) {
  PromptValues values{input.story_id, agent.name, input.worktree_path, input.base_branch};
  std::string prompt;
  if (agent.prompt && !agent.prompt->empty()) {
    prompt = render_prompt(*agent.prompt, values);
  } else {
    prompt = render_prompt(kDefaultPrompt, values);
    if (!input.item_text.empty()) prompt += "\n\nThe work item:\n\n" + input.item_text;
  }
  if (input.resume_context && !input.resume_context->empty()) {
    prompt += "\n\n" + *input.resume_context;
  }
  return prompt;
}

}  // namespace

std::string build_prompt(const AgentConfig& agent, const PromptInput& input) {
  std::string prompt = input.resumed_session ? resumed_prompt(input) : first_prompt(agent, input);
  if (input.recent_events && !input.recent_events->empty())
    prompt = *input.recent_events + "\n\n" + prompt;
  return prompt;
}

}  // namespace stork::agents
