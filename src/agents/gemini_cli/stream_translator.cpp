#include "agents/gemini_cli/stream_translator.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>

#include <boost/json.hpp>

#include "agents/agent_event.hpp"
#include "agents/api/run_cost.hpp"
#include "agents/runtime/event_building.hpp"

namespace stork::agents {
namespace json = boost::json;
namespace {

constexpr const char* kLimitType = "gemini_api";

std::string string_at(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::int64_t int_at(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return 0;
  if (value->is_int64()) return std::max<std::int64_t>(0, value->as_int64());
  if (value->is_uint64()) return static_cast<std::int64_t>(value->as_uint64());
  return 0;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool contains_any(const std::string& haystack, std::initializer_list<std::string_view> needles) {
  return std::any_of(needles.begin(), needles.end(), [&](std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
  });
}

// The seconds in "retry after 3600s" / "Please retry in 12.5s" / "... in 800ms" (the CLI's and
// the Gemini API's wordings), rounded up; nullopt when the message names no delay.
std::optional<std::int64_t> retry_delay_seconds(const std::string& lowered) {
  for (std::string_view marker : {"retry after ", "retry in "}) {
    const auto at = lowered.find(marker);
    if (at == std::string::npos) continue;
    const char* begin = lowered.data() + at + marker.size();
    const char* end = lowered.data() + lowered.size();
    double amount = 0;
    auto [next, error] = std::from_chars(begin, end, amount);
    if (error != std::errc() || amount < 0 || amount > 1e9) continue;
    const bool millis =
        std::string_view(next, static_cast<std::size_t>(end - next)).rfind("ms", 0) == 0;
    const double seconds = millis ? amount / 1000 : amount;
    return static_cast<std::int64_t>(seconds + 0.999);
  }
  return std::nullopt;
}

std::string first_line(const std::string& text) {
  auto line = text.substr(0, text.find('\n'));
  // The CLI wraps API errors as "[API Error: ...]".
  if (line.rfind("[API Error: ", 0) == 0) line = line.substr(12);
  if (!line.empty() && line.back() == ']') line.pop_back();
  return line;
}

RuntimeEvent rate_limit_event(std::string_view level, std::optional<std::int64_t> resets_at) {
  json::object payload{{"level", level}, {"limit_type", kLimitType}};
  if (resets_at) payload["resets_at"] = *resets_at;
  auto event = make_event(event_type::kRateLimit, payload);
  event.rate_limit =
      RateLimitNotice{level == "rejected", level == "allowed", resets_at, kLimitType};
  return event;
}

// The result's stats: tokens per model (stats.models), each priced at its own model's price.
TokenUsage priced_usage(const json::object& stats, const std::vector<ModelPrice>& pricing,
                        std::string& model) {
  TokenUsage total;
  const auto* models = stats.if_contains("models");
  if (models == nullptr || !models->is_object()) return total;
  for (const auto& [name, counts] : models->as_object()) {
    if (!counts.is_object()) continue;
    const auto& object = counts.as_object();
    api::RunCost cost(pricing);
    cost.add(api::TurnUsage{int_at(object, "input_tokens"), int_at(object, "output_tokens"),
                            int_at(object, "cached")});
    const TokenUsage usage = cost.usage(std::string(name));
    total.input_tokens += usage.input_tokens;
    total.output_tokens += usage.output_tokens;
    total.cache_read_input_tokens += usage.cache_read_input_tokens;
    total.cost_usd += usage.cost_usd;
    if (model.empty()) model = std::string(name);
  }
  return total;
}

RuntimeEvent tool_use_event(const json::object& object) {
  const auto* parameters = object.if_contains("parameters");
  return make_event(event_type::kToolUse,
                    {{"id", string_at(object, "tool_id")},
                     {"name", string_at(object, "tool_name")},
                     {"input", parameters ? *parameters : json::value(json::object())}});
}

RuntimeEvent tool_result_event(const json::object& object) {
  const bool is_error = string_at(object, "status") != "success";
  std::string text = string_at(object, "output");
  if (const auto* error = object.if_contains("error"); error != nullptr && error->is_object()) {
    const std::string message = string_at(error->as_object(), "message");
    if (!message.empty()) text = text.empty() ? message : text + "\n" + message;
  }
  return make_event(
      event_type::kToolResult,
      {{"tool_use_id", string_at(object, "tool_id")}, {"text", text}, {"is_error", is_error}});
}

bool looks_like_json_object(std::string_view line) {
  auto first = line.find_first_not_of(" \t");
  return first != std::string_view::npos && line[first] == '{';
}

}  // namespace

GeminiStreamTranslator::GeminiStreamTranslator(GeminiTranslatorSetup setup)
    : setup_(std::move(setup)) {}

std::int64_t GeminiStreamTranslator::now() const {
  if (setup_.now_unix_s) return setup_.now_unix_s();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void GeminiStreamTranslator::flush_text(std::vector<RuntimeEvent>& events) {
  if (pending_text_.empty()) return;
  events.push_back(make_event(event_type::kAssistantText, {{"text", pending_text_}}));
  pending_text_.clear();
}

// The model answered again after the CLI backed off from a 429: the warning is over.
void GeminiStreamTranslator::note_progress(std::vector<RuntimeEvent>& events) {
  if (!throttled_) return;
  throttled_ = false;
  events.push_back(rate_limit_event("allowed", std::nullopt));
}

void GeminiStreamTranslator::translate_failure(const std::string& message,
                                               std::vector<RuntimeEvent>& events) {
  const std::string lowered = lower(message);
  const std::string shown = first_line(message);
  if (contains_any(lowered, {"429", "resource_exhausted", "resource has been exhausted", "quota",
                             "rate limit", "exhausted your"})) {
    std::optional<std::int64_t> resets_at;
    if (auto delay = retry_delay_seconds(lowered)) resets_at = now() + *delay;
    events.push_back(rate_limit_event("rejected", resets_at));
    failure_ =
        "rate limited by the model API (" + shown + "); stork resumes the session after the reset";
  } else if (contains_any(lowered, {"api key not valid", "api_key_invalid", "permission_denied",
                                    "unauthenticated", "401", "403", "invalid api key"})) {
    failure_ =
        "the model API refused the key (" + shown + "): check the API key in " + setup_.key_env;
  } else {
    failure_ = "the Gemini CLI reported an error: " + shown;
  }
}

void GeminiStreamTranslator::translate_plain(std::string_view line,
                                             std::vector<RuntimeEvent>& events) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
  const std::string lowered = lower(line);
  // Its retry loop on stderr: "Attempt 2 failed with status 429. Retrying with backoff...".
  // Or, when the API named a delay: "Attempt 1 failed: Resource has been exhausted ...
  // Retrying after 1042ms...".
  if (lowered.rfind("attempt ", 0) == 0 && lowered.find(" failed") != std::string::npos &&
      contains_any(lowered, {"status 429", "with 429", "resource has been exhausted", "quota",
                             "rate limit"})) {
    if (!throttled_) events.push_back(rate_limit_event("warning", std::nullopt));
    throttled_ = true;
  } else if (lowered.rfind("error resuming session", 0) == 0) {
    failure_ = "the Gemini CLI cannot resume the session (" + std::string(line) +
               "): its files are in the item's GEMINI_CLI_HOME; start the agent afresh";
  }
  events.push_back(make_event(event_type::kOutput, {{"text", line}}));
}

void GeminiStreamTranslator::translate(std::string_view line, std::vector<RuntimeEvent>& events) {
  if (!looks_like_json_object(line)) {
    flush_text(events);
    translate_plain(line, events);
    return;
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(line, ec);
  if (ec || !parsed.is_object() || !parsed.as_object().if_contains("type")) {
    flush_text(events);
    events.push_back(make_event(event_type::kOutput, {{"text", line}}));
    return;
  }
  const auto& object = parsed.as_object();
  const std::string type = string_at(object, "type");
  if (type == "message" && string_at(object, "role") == "assistant") {
    note_progress(events);
    pending_text_ += string_at(object, "content");
    if (const auto* delta = object.if_contains("delta");
        delta == nullptr || !delta->is_bool() || !delta->as_bool()) {
      flush_text(events);
    }
    return;
  }
  flush_text(events);
  if (type == "init") {
    session_id_ = string_at(object, "session_id");
    model_ = string_at(object, "model");
    auto event = make_event(event_type::kSession, {{"session_id", session_id_}, {"model", model_}});
    if (!session_id_.empty()) event.session_id = session_id_;
    if (!model_.empty()) event.model = model_;
    events.push_back(std::move(event));
  } else if (type == "tool_use") {
    note_progress(events);
    events.push_back(tool_use_event(object));
  } else if (type == "tool_result") {
    events.push_back(tool_result_event(object));
  } else if (type == "error") {
    events.push_back(make_event(event_type::kError, {{"message", string_at(object, "message")},
                                                     {"severity", string_at(object, "severity")}}));
  } else if (type == "result") {
    translate_result(object, events);
  } else {
    events.push_back(make_event(event_type::kRaw, {{"line", line}}));
  }
}

void GeminiStreamTranslator::translate_result(const json::object& object,
                                              std::vector<RuntimeEvent>& events) {
  const bool is_error = string_at(object, "status") != "success";
  std::string text;
  if (const auto* error = object.if_contains("error"); error != nullptr && error->is_object())
    text = string_at(error->as_object(), "message");
  if (is_error) translate_failure(text.empty() ? std::string("no message") : text, events);
  std::string model;
  TokenUsage usage;
  if (const auto* stats = object.if_contains("stats"); stats != nullptr && stats->is_object())
    usage = priced_usage(stats->as_object(), setup_.pricing, model);
  json::object payload{
      {"subtype", is_error ? "error" : "success"},
      {"is_error", is_error},
      {"text", text},
      {"usage", json::object{{"input_tokens", usage.input_tokens},
                             {"output_tokens", usage.output_tokens},
                             {"cache_creation_input_tokens", 0},
                             {"cache_read_input_tokens", usage.cache_read_input_tokens}}},
      {"total_cost_usd", usage.cost_usd},
      {"run_cost_usd", usage.cost_usd}};
  auto event = make_event(event_type::kResult, payload);
  event.usage = usage;
  if (!session_id_.empty()) event.session_id = session_id_;
  if (!model_.empty() || !model.empty()) event.model = model_.empty() ? model : model_;
  event.failed_result = is_error;
  // The pool blocks the run on the result's notice as on the rate_limit event before it.
  if (!events.empty() && events.back().rate_limit && events.back().rate_limit->hard)
    event.rate_limit = events.back().rate_limit;
  events.push_back(std::move(event));
}

}  // namespace stork::agents
