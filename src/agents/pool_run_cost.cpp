// What a run's events say about the run itself, kept in its record: the model the agent
// reported, and the run's own cost. Claude Code resumed with a session reports in its result
// `total_cost_usd` the session's cost so far (it restores the session's cost state), so the
// run's own cost is that minus what the session's earlier runs already recorded; the result
// event then carries both (`cost_usd` for the run beside `total_cost_usd`). The Codex CLI counts
// a resumed thread's tokens from its start too (TokenUsage::session_totals): those are reduced
// the same way.
#include <boost/json.hpp>

#include "agents/pool_impl.hpp"

namespace stork::agents {
namespace json = boost::json;

void AgentPool::Impl::note_model(RunEntry& run, const std::string& model) {
  run.info.model = model;
  if (auto saved = state_->set_model(run.info.run_id, model); !saved.ok())
    note_state_error(run, saved.error().message);
}

TokenUsage AgentPool::Impl::earlier_session_usage(RunEntry& run) {
  TokenUsage earlier;
  if (!run.resumed_session || !run.info.session_id) return earlier;
  auto records = state_->token_usage(run.info.story_id);
  if (!records.ok()) {
    note_state_error(run, records.error().message);
    return earlier;
  }
  for (const auto& record : records.value()) {
    if (record.run_id == run.info.run_id || record.session_id != run.info.session_id) continue;
    earlier.input_tokens += record.input_tokens;
    earlier.output_tokens += record.output_tokens;
    earlier.cache_creation_input_tokens += record.cache_creation_input_tokens;
    earlier.cache_read_input_tokens += record.cache_read_input_tokens;
    earlier.cost_usd += record.cost_usd;
  }
  return earlier;
}

void AgentPool::Impl::note_usage(RunEntry& run, RuntimeEvent& event) {
  TokenUsage usage = *event.usage;
  boost::system::error_code error;
  auto payload = json::parse(event.payload, error);
  // A result with `run_cost_usd` already carries the run's own cost (every runtime that sets
  // it does so for this run alone: the gemini-cli runtime's equals an earlier run's whenever the
  // two runs used the same tokens, and would otherwise be taken for a session total).
  const bool run_own =
      !error && payload.is_object() && payload.as_object().contains("run_cost_usd");
  const TokenUsage earlier = run_own ? TokenUsage{} : earlier_session_usage(run);
  // A total below what was recorded before is not cumulative after all: it is the run's own.
  if (earlier.cost_usd > 0 && usage.cost_usd >= earlier.cost_usd)
    usage.cost_usd -= earlier.cost_usd;
  if (usage.session_totals) {
    auto own = [](std::int64_t total, std::int64_t before) {
      return total >= before ? total - before : total;
    };
    usage.input_tokens = own(usage.input_tokens, earlier.input_tokens);
    usage.output_tokens = own(usage.output_tokens, earlier.output_tokens);
    usage.cache_creation_input_tokens =
        own(usage.cache_creation_input_tokens, earlier.cache_creation_input_tokens);
    usage.cache_read_input_tokens =
        own(usage.cache_read_input_tokens, earlier.cache_read_input_tokens);
  }
  run.usage = usage;
  if (error || !payload.is_object()) return;
  payload.as_object()["cost_usd"] = usage.cost_usd;
  event.payload = json::serialize(payload);
}

}  // namespace stork::agents
