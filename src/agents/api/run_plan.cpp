#include "agents/api/run_plan.hpp"

#include <cstdlib>

namespace stork::agents::api {

RunPlan plan_run(const ModelProtocol& protocol, const LaunchContext& context) {
  const AgentConfig& agent = *context.agent;
  RunPlan plan;
  std::string model = agent.model.value_or("");
  if (model.empty() && agent.stage == AgentStage::Coder && context.project->default_coder_model)
    model = *context.project->default_coder_model;
  if (model.empty()) {
    plan.error = "agent '" + agent.name + "' has runtime \"" + std::string(protocol.runtime()) +
                 "\" but no `model`";
    return plan;
  }
  plan.key_env = agent.api_key_env.value_or(protocol.default_key_env());
  std::string base_url = agent.base_url.value_or(protocol.default_base_url());
  while (!base_url.empty() && base_url.back() == '/')
    base_url.pop_back();
  const char* key = std::getenv(plan.key_env.c_str());
  plan.endpoint = Endpoint{base_url, model, key != nullptr ? key : ""};
  // A local OpenAI-compatible server may need no key; the provider's own endpoint always does.
  if (plan.endpoint.api_key.empty() && base_url == protocol.default_base_url()) {
    plan.error =
        "no API key: " + plan.key_env + " is not set (check the API key in " + plan.key_env + ")";
  }
  plan.system_prompt =
      "You are a coding agent run by stork on work item " + context.story_id +
      ". Your working directory is the item's git worktree " + context.worktree.string() +
      "; the read_file, write_file, list_files and run_command tools act there (paths relative "
      "to it). stork's own tools (check_criterion, report_completion, ...) take the item's id "
      "as story_id. Commit your work with git through run_command.";
  if (agent.system_prompt) plan.system_prompt += "\n\n" + *agent.system_prompt;
  plan.max_turns = agent.max_turns.value_or(context.api.default_max_turns);
  return plan;
}

}  // namespace stork::agents::api
