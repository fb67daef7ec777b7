// What an ACP agent's failure means for the pool. ACP has no error codes for a model's rate
// limit or a rejected key: agents put the provider's words into a JSON-RPC error (Claude Code's
// adapter: "Internal error" with "API Error: 429 ..."; authRequired, -32000, for a missing
// login). These are recognised from the code and the text, so a 429 blocks the run until the
// limit resets (pool_rate_limits.cpp) and a bad key fails it with a message naming the fix.
#pragma once

#include <optional>
#include <string>

#include "agents/acp/json_rpc.hpp"
#include "agents/runtime/runtime.hpp"

namespace stork::acp {

// ACP's authRequired error code.
inline constexpr std::int64_t kAuthRequired = -32000;

struct PromptFailure {
  std::string message;                                // for people: what failed, what to fix
  std::optional<agents::RateLimitNotice> rate_limit;  // set: a hard rate limit (429)
};

// `error` (the answer to session/prompt, session/new ...) and the turn's last text.
PromptFailure classify_prompt_error(const RpcError& error, const std::string& last_text);

// A hard rate limit when `text` reports one (429, "rate limit", RESOURCE_EXHAUSTED).
std::optional<agents::RateLimitNotice> rate_limit_in_text(const std::string& text);

// "<message> (code N)" with the hint for an authentication failure.
std::string describe_prompt_error(const RpcError& error);

}  // namespace stork::acp
