// RetryPolicy: what an API run does with one answer of the model API, decided from the answer
// and the run's counts alone (pure; no clock, no I/O): accept it, repeat the request after a
// backoff (5xx, dropped or cut streams), wait out a near rate-limit reset (Throttle), end the
// run until a later reset (Block), or fail with a reason a person can act on.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "agents/api/http_stream.hpp"
#include "agents/api/model_protocol.hpp"
#include "agents/runtime/runtime.hpp"

namespace stork::agents::api {

// Per request: failures (retries spent) and throttles (near resets waited out). A server that
// keeps saying "1 s" ends blocked after kMaxThrottleWaits.
struct RetryCounts {
  int failures = 0;
  int throttles = 0;
};
inline constexpr int kMaxThrottleWaits = 5;

// A 429's facts, for the run's rate_limit event.
struct RateLimitFacts {
  std::string message;  // the API's own words
  RateLimitReset reset;
};

struct Verdict {
  enum class Kind { Accept, Retry, Throttle, Fail, Block };
  Kind kind = Kind::Accept;
  std::chrono::milliseconds delay{0};   // Retry, Throttle: how long to wait first
  std::string reason;                   // Retry: what went wrong; Fail, Block: why the run ends
  std::optional<RateLimitFacts> limit;  // Throttle, Block
};

// What to do with `response` before its stream is read (Accept: read it). `key_env` names the
// API key's variable for the 401/403 message. Counts the failure or throttle it decides on.
Verdict judge_answer(const HttpResponse& response, const ModelProtocol& protocol,
                     const ApiRunOptions& options, RetryCounts& counts, std::int64_t now_unix_s,
                     const std::string& key_env);

// What to do with a turn read from an accepted stream: Accept, or retry a stream that carried
// an error or ended before the model finished.
Verdict judge_turn(const ModelTurn& turn, const ApiRunOptions& options, RetryCounts& counts);

// A request to repeat for `reason`: Retry after an exponential backoff while retries last,
// then Fail naming how many attempts were made.
Verdict retry_or_fail(std::string reason, const ApiRunOptions& options, RetryCounts& counts);

}  // namespace stork::agents::api
