// RunCost: the token usage of an API run's turns, summed, and what it cost at the project's
// prices (ProjectConfig::pricing, else the built-in table; 0 for a model with no price). It
// also writes the run's final `result` event, which carries these totals to the pool.
// Plain data; owned by the run's loop.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agents/api/model_protocol.hpp"
#include "agents/runtime/runtime.hpp"
#include "config/project_config.hpp"

namespace stork::agents::api {

class RunCost {
 public:
  explicit RunCost(std::vector<ModelPrice> pricing) : pricing_(std::move(pricing)) {}

  void add(const std::optional<TurnUsage>& usage);
  // In US dollars, for `model`'s price.
  double cost(const std::string& model) const;
  // The totals as the pool records them: input excludes the cached part.
  TokenUsage usage(const std::string& model) const;

  // The run's `result` event: `subtype` ("success", "error_max_turns", ...), the final text,
  // usage, cost and turn count; its usage is set only when a turn was answered.
  RuntimeEvent result_event(const std::string& subtype, bool is_error, const std::string& text,
                            const std::string& model, const std::string& session_id,
                            int turns) const;

 private:
  std::vector<ModelPrice> pricing_;
  TurnUsage totals_;
};

}  // namespace stork::agents::api
