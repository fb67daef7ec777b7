// The Gemini API: POST {base_url}/v1beta/models/{model}:streamGenerateContent?alt=sse. Every
// event is a whole GenerateContentResponse: candidates[0].content.parts hold text pieces and
// complete function calls, finishReason marks the end, usageMetadata the token counts so far.
// Tools are functionDeclarations whose parameters are an OpenAPI-style subset of JSON Schema;
// function results go back as functionResponse parts of a user turn.
#include <algorithm>
#include <cctype>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "agents/api/model_protocol.hpp"

namespace stork::agents::api {
namespace json = boost::json;
namespace {

std::int64_t int_of(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return 0;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->as_uint64());
  if (value->is_double()) return static_cast<std::int64_t>(value->as_double());
  return 0;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// JSON Schema → the Schema object of function declarations: keywords Gemini does not know
// (additionalProperties, $schema, const, ...) are dropped or rewritten, type arrays with
// "null" become `nullable`.
json::object gemini_schema(const json::object& in) {
  static constexpr std::string_view kKept[] = {
      "format",  "description", "minItems", "maxItems", "minLength",     "maxLength",    "pattern",
      "minimum", "maximum",     "title",    "required", "minProperties", "maxProperties"};
  json::object out;
  std::string type;
  if (const auto* t = in.if_contains("type")) {
    if (t->is_string()) {
      type = t->as_string();
    } else if (t->is_array()) {
      for (const auto& option : t->as_array()) {
        if (!option.is_string()) continue;
        if (option.as_string() == "null") {
          out["nullable"] = true;
        } else if (type.empty()) {
          type = option.as_string();
        }
      }
    }
  }
  if (!type.empty()) out["type"] = upper(type);
  for (const auto key : kKept) {
    if (const auto* value = in.if_contains(key)) out[key] = *value;
  }
  auto string_enum = [&](const json::array& values) {
    json::array strings;
    for (const auto& value : values) {
      if (!value.is_string()) return;  // Gemini's enum is for strings only
      strings.push_back(value);
    }
    out["enum"] = std::move(strings);
    if (type.empty()) out["type"] = "STRING";
  };
  if (const auto* values = in.if_contains("enum"); values != nullptr && values->is_array())
    string_enum(values->as_array());
  if (const auto* value = in.if_contains("const"); value != nullptr)
    string_enum(json::array{*value});
  if (const auto* properties = in.if_contains("properties");
      properties != nullptr && properties->is_object()) {
    json::object converted;
    for (const auto& [name, schema] : properties->as_object()) {
      converted[name] = schema.is_object() ? gemini_schema(schema.as_object()) : json::object{};
    }
    out["properties"] = std::move(converted);
  }
  if (const auto* items = in.if_contains("items"); items != nullptr && items->is_object())
    out["items"] = gemini_schema(items->as_object());
  if (const auto* any_of = in.if_contains("anyOf"); any_of != nullptr && any_of->is_array()) {
    json::array options;
    for (const auto& option : any_of->as_array()) {
      if (option.is_object()) options.push_back(gemini_schema(option.as_object()));
    }
    out["anyOf"] = std::move(options);
  }
  return out;
}

class GeminiDecoder final : public StreamDecoder {
 public:
  void on_event(const SseEvent& event, LiveText& live) override {
    boost::system::error_code ec;
    auto parsed = json::parse(event.data, ec);
    if (ec || !parsed.is_object()) return;
    const auto& chunk = parsed.as_object();
    if (chunk.contains("error")) {
      turn_.error = api_error_message(event.data);
      return;
    }
    if (const auto* version = chunk.if_contains("modelVersion");
        version != nullptr && version->is_string()) {
      turn_.model = version->as_string();
    }
    if (const auto* usage = chunk.if_contains("usageMetadata");
        usage != nullptr && usage->is_object()) {
      take_usage(usage->as_object());
    }
    const auto* candidates = chunk.if_contains("candidates");
    if (candidates == nullptr || !candidates->is_array() || candidates->as_array().empty()) return;
    const auto& first = candidates->as_array().front();
    if (first.is_object()) take_candidate(first.as_object(), live);
  }

  void take_usage(const json::object& u) {
    TurnUsage figures;
    figures.input_tokens = int_of(u, "promptTokenCount");
    // Thinking is billed as output.
    figures.output_tokens = int_of(u, "candidatesTokenCount") + int_of(u, "thoughtsTokenCount");
    figures.cached_input_tokens = int_of(u, "cachedContentTokenCount");
    turn_.usage = figures;  // counts so far; the last event has the totals
  }

  void take_candidate(const json::object& candidate, LiveText& live) {
    if (const auto* reason = candidate.if_contains("finishReason");
        reason != nullptr && reason->is_string()) {
      finished_ = true;
      const std::string_view why = reason->as_string();
      if (why != "STOP" && why != "MAX_TOKENS" && why != "FINISH_REASON_UNSPECIFIED") {
        finish_reason_ = why;
      }
    }
    const auto* content = candidate.if_contains("content");
    if (content == nullptr || !content->is_object()) return;
    const auto* parts = content->as_object().if_contains("parts");
    if (parts == nullptr || !parts->is_array()) return;
    for (const auto& part : parts->as_array()) {
      if (part.is_object()) take_part(part.as_object(), live);
    }
  }

  void take_part(const json::object& part, LiveText& live) {
    const auto* text = part.if_contains("text");
    const bool thought = part.contains("thought");
    if (text != nullptr && text->is_string() && !thought && part.size() == 1) {
      // Plain text pieces are merged into one part.
      if (!parts_.empty() && parts_.back().as_object().size() == 1 &&
          parts_.back().as_object().contains("text")) {
        auto& last = parts_.back().as_object()["text"].as_string();
        last.append(text->as_string());
      } else {
        parts_.push_back(part);
      }
      turn_.text += text->as_string();
      live.text += text->as_string();
      return;
    }
    if (text != nullptr && text->is_string() && thought) live.thinking += text->as_string();
    parts_.push_back(part);  // function calls, thoughts and their signatures, as sent
    if (const auto* call = part.if_contains("functionCall"); call != nullptr && call->is_object()) {
      const auto& c = call->as_object();
      ToolCallRequest request;
      if (const auto* name = c.if_contains("name"); name != nullptr && name->is_string())
        request.name = name->as_string();
      if (const auto* id = c.if_contains("id"); id != nullptr && id->is_string())
        request.id = id->as_string();
      const auto* args = c.if_contains("args");
      request.arguments = args != nullptr ? json::serialize(*args) : "{}";
      turn_.tool_calls.push_back(std::move(request));
    }
  }

  ModelTurn finish() override {
    turn_.complete = finished_;
    if (!finish_reason_.empty() && turn_.text.empty() && turn_.tool_calls.empty()) {
      turn_.error = "the model stopped with finishReason " + finish_reason_;
    }
    int generated = 0;
    for (auto& call : turn_.tool_calls) {
      if (call.id.empty()) call.id = "gemini_call_" + std::to_string(++generated);
    }
    if (parts_.empty()) parts_.push_back(json::object{{"text", ""}});
    turn_.message = json::object{{"role", "model"}, {"parts", std::move(parts_)}};
    return std::move(turn_);
  }

 private:
  ModelTurn turn_;
  json::array parts_;
  bool finished_ = false;
  std::string finish_reason_;
};

class GeminiProtocol final : public ModelProtocol {
 public:
  std::string_view runtime() const override { return "gemini"; }
  std::string default_base_url() const override {
    return "https://generativelanguage.googleapis.com";
  }
  std::string default_key_env() const override { return "GEMINI_API_KEY"; }

  void add_user_text(json::array& conversation, const std::string& text) const override {
    // After function responses the user turn is already open: one turn, several parts.
    if (!conversation.empty() && conversation.back().is_object()) {
      auto& last = conversation.back().as_object();
      if (const auto* role = last.if_contains("role");
          role != nullptr && role->is_string() && role->as_string() == "user") {
        if (auto* parts = last.if_contains("parts"); parts != nullptr && parts->is_array()) {
          parts->as_array().push_back(json::object{{"text", text}});
          return;
        }
      }
    }
    conversation.push_back(
        json::object{{"role", "user"}, {"parts", json::array{json::object{{"text", text}}}}});
  }

  HttpRequest build_request(const Endpoint& endpoint, const std::string& system_prompt,
                            const json::array& conversation,
                            const std::vector<ToolSpec>& tools) const override {
    json::object body{{"contents", conversation}};
    if (!system_prompt.empty()) {
      body["systemInstruction"] =
          json::object{{"parts", json::array{json::object{{"text", system_prompt}}}}};
    }
    if (!tools.empty()) {
      json::array declarations;
      for (const auto& tool : tools) {
        boost::system::error_code ec;
        auto schema = json::parse(tool.input_schema, ec);
        json::object declaration{{"name", tool.name}, {"description", tool.description}};
        if (!ec && schema.is_object()) {
          auto converted = gemini_schema(schema.as_object());
          // A function without parameters has none: an empty OBJECT is refused.
          const auto* properties = converted.if_contains("properties");
          if (properties != nullptr && properties->is_object() &&
              !properties->as_object().empty()) {
            declaration["parameters"] = std::move(converted);
          }
        }
        declarations.push_back(std::move(declaration));
      }
      body["tools"] = json::array{json::object{{"functionDeclarations", std::move(declarations)}}};
    }
    HttpRequest request;
    request.url =
        endpoint.base_url + "/v1beta/models/" + endpoint.model + ":streamGenerateContent?alt=sse";
    request.headers = {"Content-Type: application/json", "Accept: text/event-stream"};
    if (!endpoint.api_key.empty()) request.headers.push_back("x-goog-api-key: " + endpoint.api_key);
    request.body = json::serialize(body);
    return request;
  }

  std::unique_ptr<StreamDecoder> decoder() const override {
    return std::make_unique<GeminiDecoder>();
  }

  void add_turn(json::array& conversation, const ModelTurn& turn,
                const std::vector<ToolCallResult>& results) const override {
    conversation.push_back(turn.message);
    if (turn.tool_calls.empty()) return;
    json::array parts;
    for (std::size_t i = 0; i < turn.tool_calls.size() && i < results.size(); ++i) {
      const auto& call = turn.tool_calls[i];
      json::object response{
          {"name", call.name},
          {"response", json::object{{results[i].is_error ? "error" : "result", results[i].text}}}};
      if (call.id.rfind("gemini_call_", 0) != 0) response["id"] = call.id;
      parts.push_back(json::object{{"functionResponse", std::move(response)}});
    }
    conversation.push_back(json::object{{"role", "user"}, {"parts", std::move(parts)}});
  }

  RateLimitReset rate_limit_reset(const HttpResponse& response,
                                  std::int64_t now_unix_s) const override {
    RateLimitReset reset;
    reset.resets_at_unix_s = retry_after_unix_s(response, now_unix_s);
    boost::system::error_code ec;
    auto parsed = json::parse(response.error_body, ec);
    if (!ec && parsed.is_array() && !parsed.as_array().empty()) parsed = parsed.as_array().front();
    if (ec || !parsed.is_object()) return reset;
    const auto* error = parsed.as_object().if_contains("error");
    if (error == nullptr || !error->is_object()) return reset;
    const auto* details = error->as_object().if_contains("details");
    if (details == nullptr || !details->is_array()) return reset;
    for (const auto& detail : details->as_array()) {
      if (!detail.is_object()) continue;
      const auto& d = detail.as_object();
      const auto* type = d.if_contains("@type");
      if (type == nullptr || !type->is_string()) continue;
      const std::string_view name = type->as_string();
      if (name.ends_with("RetryInfo") && !reset.resets_at_unix_s) {
        const auto* delay = d.if_contains("retryDelay");
        if (delay != nullptr && delay->is_string()) {
          if (auto ms = parse_duration_ms(delay->as_string()))
            reset.resets_at_unix_s = now_unix_s + (*ms + 999) / 1000;
        }
      } else if (name.ends_with("QuotaFailure")) {
        const auto* violations = d.if_contains("violations");
        if (violations != nullptr && violations->is_array() && !violations->as_array().empty() &&
            violations->as_array().front().is_object()) {
          const auto* metric =
              violations->as_array().front().as_object().if_contains("quotaMetric");
          if (metric != nullptr && metric->is_string()) reset.limit_type = metric->as_string();
        }
      }
    }
    return reset;
  }
};

}  // namespace

std::unique_ptr<ModelProtocol> make_gemini_protocol() {
  return std::make_unique<GeminiProtocol>();
}

}  // namespace stork::agents::api
