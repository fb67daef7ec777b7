#include "pipeline/retries.hpp"

#include <algorithm>

namespace stork::pipeline {

std::string GateFailureDecision::block_reason() const {
  // Neutral on purpose: the attempts may have failed for different reasons (a gate failure,
  // then zero commits); the caller puts the last reason in front.
  return "no attempt was accepted (" + std::to_string(failed_attempts) + " of " +
         std::to_string(failed_attempts) + " failed; max_retries = " + std::to_string(max_retries) +
         ")";
}

GateFailureDecision decide_gate_failure(int retry_count, int max_retries) {
  const int retries = std::max(retry_count, 0);
  const int limit = std::max(max_retries, 0);
  const int failed = retries + 1;
  if (retries < limit) return {GateFailureAction::Retry, retries + 1, failed, limit};
  // No retry happens, so the stored count stays as it was.
  return {GateFailureAction::Block, retries, failed, limit};
}

}  // namespace stork::pipeline
