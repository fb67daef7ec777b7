// What a failed turn of the Codex CLI means for stork. The CLI ends a failed turn with a
// `turn.failed` line whose message is all it says (0.171.0: "exceeded retry limit, last status:
// 429 Too Many Requests", "unexpected status 401 Unauthorized: ...", "Quota exceeded. Check
// your plan and billing details.", "Missing environment variable: `X`."); this turns it into
// a kind the pool acts on and a message that names what to fix. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stork::codex {

struct FailureContext {
  std::string base_url;                     // where the model API is (for the message)
  std::optional<std::string> key_variable;  // where its key comes from
};

struct Failure {
  enum class Kind {
    RateLimited,  // HTTP 429: the run is blocked, and resumed later (pool_rate_limits.cpp)
    Auth,         // 401/403 or no key: failed until someone fixes the key
    Quota,        // the account has no quota left: failed
    Other,        // anything else: failed with the CLI's message
  };
  Kind kind = Kind::Other;
  std::string message;
};

Failure classify_failure(std::string_view codex_message, const FailureContext& context);

}  // namespace stork::codex
