#include "agents/codex/codex_failure.hpp"

namespace stork::codex {
namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::string key_advice(const FailureContext& context) {
  if (context.key_variable) return "check the API key in " + *context.key_variable;
  return "the agent sets no api_key_env: name the variable holding the key for " + context.base_url;
}

}  // namespace

Failure classify_failure(std::string_view codex_message, const FailureContext& context) {
  const std::string said(codex_message);
  if (contains(said, "Quota exceeded") || contains(said, "insufficient_quota")) {
    return {Failure::Kind::Quota, "the model API at " + context.base_url +
                                      " says the account has no quota left (" + said +
                                      "): check the plan and billing of the key"};
  }
  if (contains(said, "429") || contains(said, "Too Many Requests")) {
    return {Failure::Kind::RateLimited, "the model API at " + context.base_url +
                                            " rate-limited the run (" + said +
                                            "); stork resumes the session later"};
  }
  if (contains(said, "401") || contains(said, "403") || contains(said, "Unauthorized") ||
      contains(said, "Forbidden") || contains(said, "Missing environment variable")) {
    return {Failure::Kind::Auth, "the model API at " + context.base_url + " refused the request (" +
                                     said + "): " + key_advice(context)};
  }
  return {Failure::Kind::Other, "codex: " + said};
}

}  // namespace stork::codex
