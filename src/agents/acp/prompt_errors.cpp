#include "agents/acp/prompt_errors.hpp"

#include <algorithm>
#include <cctype>

namespace stork::acp {
namespace {

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool mentions_any(const std::string& lower, std::initializer_list<std::string_view> needles) {
  return std::any_of(needles.begin(), needles.end(), [&](std::string_view needle) {
    return lower.find(needle) != std::string::npos;
  });
}

bool is_auth_failure(const RpcError& error) {
  if (error.code == kAuthRequired) return true;
  const auto lower = lowered(error.message);
  return mentions_any(lower, {" 401", " 403", "authentication", "invalid x-api-key",
                              "api key not valid", "invalid api key", "unauthorized", "/login"});
}

}  // namespace

std::optional<agents::RateLimitNotice> rate_limit_in_text(const std::string& text) {
  const auto lower = lowered(text);
  if (!mentions_any(
          lower, {" 429", "rate limit", "rate_limit", "resource_exhausted", "too many requests"}))
    return std::nullopt;
  agents::RateLimitNotice notice;
  notice.hard = true;
  notice.limit_type = "model_api";
  return notice;  // ACP carries no reset time: the pool retries after its default wait
}

std::string describe_prompt_error(const RpcError& error) {
  std::string text = error.message.empty() ? "no message" : error.message;
  text += " (code " + std::to_string(error.code) + ")";
  if (is_auth_failure(error)) {
    text +=
        "; the agent could not authenticate with its model: check the API key in the "
        "environment stork is started with (or log the agent's CLI in) and its base URL";
  }
  return text;
}

PromptFailure classify_prompt_error(const RpcError& error, const std::string& last_text) {
  PromptFailure failure;
  failure.message = "session/prompt failed: " + describe_prompt_error(error);
  if (is_auth_failure(error)) return failure;
  failure.rate_limit = rate_limit_in_text(error.message);
  if (!failure.rate_limit) failure.rate_limit = rate_limit_in_text(last_text);
  if (failure.rate_limit) failure.message = "rate limited by the model API: " + failure.message;
  return failure;
}

}  // namespace stork::acp
