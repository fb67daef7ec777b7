#include "agents/api/run_cost.hpp"

#include "agents/agent_event.hpp"
#include "agents/runtime/event_building.hpp"

namespace stork::agents::api {
namespace json = boost::json;

void RunCost::add(const std::optional<TurnUsage>& usage) {
  if (!usage) return;
  totals_.input_tokens += usage->input_tokens;
  totals_.output_tokens += usage->output_tokens;
  totals_.cached_input_tokens += usage->cached_input_tokens;
}

double RunCost::cost(const std::string& model) const {
  const ModelPrice* price = find_model_price(pricing_, model);
  if (price == nullptr) return 0;
  const double cached = static_cast<double>(totals_.cached_input_tokens);
  const double uncached = static_cast<double>(totals_.input_tokens) - cached;
  const double cached_price = price->cached_input_per_mtok.value_or(price->input_per_mtok);
  return (uncached * price->input_per_mtok + cached * cached_price +
          static_cast<double>(totals_.output_tokens) * price->output_per_mtok) /
         1e6;
}

TokenUsage RunCost::usage(const std::string& model) const {
  TokenUsage usage;
  usage.input_tokens = totals_.input_tokens - totals_.cached_input_tokens;
  usage.cache_read_input_tokens = totals_.cached_input_tokens;
  usage.output_tokens = totals_.output_tokens;
  usage.cost_usd = cost(model);
  return usage;
}

RuntimeEvent RunCost::result_event(const std::string& subtype, bool is_error,
                                   const std::string& text, const std::string& model,
                                   const std::string& session_id, int turns) const {
  const TokenUsage totals = usage(model);
  json::object payload{
      {"subtype", subtype},
      {"is_error", is_error},
      {"text", text},
      {"usage", json::object{{"input_tokens", totals.input_tokens},
                             {"output_tokens", totals.output_tokens},
                             {"cache_creation_input_tokens", 0},
                             {"cache_read_input_tokens", totals.cache_read_input_tokens}}},
      {"total_cost_usd", totals.cost_usd},
      {"run_cost_usd", totals.cost_usd},
      {"num_turns", turns},
      {"model", model}};
  if (find_model_price(pricing_, model) == nullptr) {
    payload["cost_note"] = "no price for model '" + model + "' (add [pricing.\"" + model +
                           "\"] to project.toml): cost 0";
  }
  auto event = make_event(event_type::kResult, payload);
  if (turns > 0) event.usage = totals;
  event.session_id = session_id;
  if (!model.empty()) event.model = model;
  event.failed_result = is_error;
  return event;
}

}  // namespace stork::agents::api
