#include "agents/api/retry_policy.hpp"

#include <algorithm>

namespace stork::agents::api {
namespace {

using std::chrono::milliseconds;

milliseconds backoff(const ApiRunOptions& options, int failures) {
  return std::min(options.max_backoff, options.initial_backoff * (1 << failures));
}

Verdict fail_with(std::string reason) {
  return {Verdict::Kind::Fail, milliseconds(0), std::move(reason), std::nullopt};
}

// A 429: no quota fails, a near reset is waited out, an unknown one is retried with backoff
// while retries last, anything else blocks the run until the reset.
Verdict judge_rate_limit(const HttpResponse& response, const ModelProtocol& protocol,
                         const ApiRunOptions& options, RetryCounts& counts,
                         std::int64_t now_unix_s) {
  const std::string message = api_error_message(response.error_body);
  if (message.find("insufficient_quota") != std::string::npos ||
      response.error_body.find("\"insufficient_quota\"") != std::string::npos) {
    return fail_with("the model API account has no quota left (HTTP 429): " + message);
  }
  RateLimitFacts facts{message, protocol.rate_limit_reset(response, now_unix_s)};
  const auto& resets = facts.reset.resets_at_unix_s;
  const std::int64_t wait_ms = resets ? std::max<std::int64_t>(0, *resets - now_unix_s) * 1000 : -1;
  if (wait_ms >= 0 && wait_ms <= options.max_throttle_wait.count() &&
      counts.throttles < kMaxThrottleWaits) {
    ++counts.throttles;
    return {Verdict::Kind::Throttle, milliseconds(wait_ms), "", std::move(facts)};
  }
  if (wait_ms < 0 && counts.failures < options.max_retries) {
    const milliseconds delay = backoff(options, counts.failures);
    ++counts.failures;
    return {Verdict::Kind::Throttle, delay, "", std::move(facts)};
  }
  return {Verdict::Kind::Block, milliseconds(0),
          "rate limited by the model API (HTTP 429: " + message + ")", std::move(facts)};
}

}  // namespace

Verdict judge_answer(const HttpResponse& response, const ModelProtocol& protocol,
                     const ApiRunOptions& options, RetryCounts& counts, std::int64_t now_unix_s,
                     const std::string& key_env) {
  const std::string status = std::to_string(response.status);
  if (!response.transport_error.empty()) {
    return retry_or_fail("connection failed: " + response.transport_error, options, counts);
  }
  if (response.status >= 500) {
    return retry_or_fail("HTTP " + status + ": " + api_error_message(response.error_body), options,
                         counts);
  }
  if (response.status == 401 || response.status == 403) {
    return fail_with("the model API refused the request (HTTP " + status + ": " +
                     api_error_message(response.error_body) + "): check the API key in " + key_env);
  }
  if (response.status == 429) {
    return judge_rate_limit(response, protocol, options, counts, now_unix_s);
  }
  if (response.status < 200 || response.status >= 300) {
    return fail_with("the model API rejected the request (HTTP " + status +
                     "): " + api_error_message(response.error_body));
  }
  return {};
}

Verdict judge_turn(const ModelTurn& turn, const ApiRunOptions& options, RetryCounts& counts) {
  if (turn.error) {
    return retry_or_fail("the stream reported an error: " + *turn.error, options, counts);
  }
  if (!turn.complete) {
    return retry_or_fail("the stream ended before the model finished its answer", options, counts);
  }
  return {};
}

Verdict retry_or_fail(std::string reason, const ApiRunOptions& options, RetryCounts& counts) {
  if (counts.failures >= options.max_retries) {
    return fail_with("the model API failed " + std::to_string(counts.failures + 1) + " times (" +
                     std::to_string(options.max_retries) + " retries): " + reason);
  }
  const milliseconds delay = backoff(options, counts.failures);
  ++counts.failures;
  return {Verdict::Kind::Retry, delay, std::move(reason), std::nullopt};
}

}  // namespace stork::agents::api
