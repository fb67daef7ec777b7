// Retries: what to do when an item's gate fails, given how often it has been retried and the
// project's max_retries. Pure: restarting the coder or writing `blocked` is the caller's job.
// max_retries = 2 means one attempt and two retries: the third failure blocks.
#pragma once

#include <string>

namespace stork::pipeline {

enum class GateFailureAction { Retry, Block };

struct GateFailureDecision {
  GateFailureAction action = GateFailureAction::Retry;
  int retry_count = 0;      // the value to store in front matter after this decision
  int failed_attempts = 0;  // gate failures so far, this one included
  int max_retries = 0;      // the limit the decision was taken against

  // Why the item is blocked, e.g. "no attempt was accepted (3 of 3 failed; max_retries = 2)".
  std::string block_reason() const;
};

// `retry_count` is the item's front-matter value before this failure (0 on the first attempt).
// Negative inputs (a hand-edited file, a bad config) count as 0.
GateFailureDecision decide_gate_failure(int retry_count, int max_retries);

}  // namespace stork::pipeline
