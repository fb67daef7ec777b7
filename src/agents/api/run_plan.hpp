// RunPlan: what an API run settles from its LaunchContext before its first request: the model
// and endpoint (base URL, API key from the agent's variable), the system prompt and the turn
// limit, or why the run cannot start at all. Reads the environment; nothing else.
#pragma once

#include <string>

#include "agents/api/model_protocol.hpp"
#include "agents/runtime/runtime.hpp"

namespace stork::agents::api {

struct RunPlan {
  Endpoint endpoint;
  std::string key_env;  // the variable the API key comes from
  std::string system_prompt;
  int max_turns = 100;
  std::string error;  // why the run cannot start: no model, no key for the provider's endpoint
};

RunPlan plan_run(const ModelProtocol& protocol, const LaunchContext& context);

}  // namespace stork::agents::api
