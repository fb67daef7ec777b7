// OpenAI Chat Completions with streaming (POST {base_url}/chat/completions, "stream": true),
// as OpenAI serves it and as OpenAI-compatible servers (vLLM, llama.cpp's server, Ollama)
// imitate it: text and tool calls arrive as deltas, tool call arguments in pieces keyed by
// the call's index, usage in a last chunk with no choices (stream_options.include_usage),
// and "data: [DONE]" at the end.
#include <map>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "agents/api/model_protocol.hpp"

namespace stork::agents::api {
namespace json = boost::json;
namespace {

std::string string_of(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::int64_t int_of(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return 0;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->as_uint64());
  if (value->is_double()) return static_cast<std::int64_t>(value->as_double());
  return 0;
}

class OpenAiDecoder final : public StreamDecoder {
 public:
  void on_event(const SseEvent& event, LiveText& live) override {
    if (event.data == "[DONE]") {
      done_ = true;
      return;
    }
    boost::system::error_code ec;
    auto parsed = json::parse(event.data, ec);
    if (ec || !parsed.is_object()) return;  // keep-alives and unknown lines of some servers
    const auto& chunk = parsed.as_object();
    if (chunk.contains("error")) {
      turn_.error = api_error_message(event.data);
      return;
    }
    if (auto model = string_of(chunk, "model"); !model.empty()) turn_.model = model;
    if (const auto* usage = chunk.if_contains("usage"); usage != nullptr && usage->is_object()) {
      const auto& u = usage->as_object();
      TurnUsage figures;
      figures.input_tokens = int_of(u, "prompt_tokens");
      figures.output_tokens = int_of(u, "completion_tokens");
      if (const auto* details = u.if_contains("prompt_tokens_details");
          details != nullptr && details->is_object()) {
        figures.cached_input_tokens = int_of(details->as_object(), "cached_tokens");
      }
      turn_.usage = figures;
    }
    const auto* choices = chunk.if_contains("choices");
    if (choices == nullptr || !choices->is_array()) return;
    for (const auto& choice : choices->as_array()) {
      if (choice.is_object()) take_choice(choice.as_object(), live);
    }
  }

  void take_choice(const json::object& choice, LiveText& live) {
    if (const auto* finish = choice.if_contains("finish_reason");
        finish != nullptr && finish->is_string()) {
      finished_ = true;
    }
    const auto* delta = choice.if_contains("delta");
    if (delta == nullptr || !delta->is_object()) return;
    const auto& d = delta->as_object();
    if (const auto* content = d.if_contains("content");
        content != nullptr && content->is_string()) {
      turn_.text += content->as_string();
      live.text += content->as_string();
    }
    for (const char* key : {"reasoning_content", "reasoning"}) {
      if (const auto* reasoning = d.if_contains(key);
          reasoning != nullptr && reasoning->is_string()) {
        live.thinking += reasoning->as_string();
      }
    }
    const auto* calls = d.if_contains("tool_calls");
    if (calls == nullptr || !calls->is_array()) return;
    for (const auto& call_value : calls->as_array()) {
      if (!call_value.is_object()) continue;
      const auto& call = call_value.as_object();
      const std::int64_t index =
          call.contains("index") ? int_of(call, "index") : static_cast<std::int64_t>(calls_.size());
      auto& pending = calls_[index];
      if (auto id = string_of(call, "id"); !id.empty()) pending.id = id;
      if (const auto* function = call.if_contains("function");
          function != nullptr && function->is_object()) {
        pending.name += string_of(function->as_object(), "name");
        pending.arguments += string_of(function->as_object(), "arguments");
      }
    }
  }

  ModelTurn finish() override {
    turn_.complete = done_ || finished_;
    json::array tool_calls;
    int generated = 0;
    for (auto& [index, call] : calls_) {
      if (call.id.empty()) call.id = "call_stork_" + std::to_string(++generated);
      if (call.arguments.empty()) call.arguments = "{}";
      tool_calls.push_back(json::object{
          {"id", call.id},
          {"type", "function"},
          {"function", json::object{{"name", call.name}, {"arguments", call.arguments}}}});
      turn_.tool_calls.push_back(call);
    }
    json::object message{{"role", "assistant"}};
    if (turn_.text.empty() && !tool_calls.empty()) {
      message["content"] = nullptr;
    } else {
      message["content"] = turn_.text;
    }
    if (!tool_calls.empty()) message["tool_calls"] = std::move(tool_calls);
    turn_.message = std::move(message);
    return std::move(turn_);
  }

 private:
  ModelTurn turn_;
  std::map<std::int64_t, ToolCallRequest> calls_;
  bool done_ = false;
  bool finished_ = false;
};

class OpenAiProtocol final : public ModelProtocol {
 public:
  std::string_view runtime() const override { return "openai"; }
  std::string default_base_url() const override { return "https://api.openai.com/v1"; }
  std::string default_key_env() const override { return "OPENAI_API_KEY"; }

  void add_user_text(json::array& conversation, const std::string& text) const override {
    conversation.push_back(json::object{{"role", "user"}, {"content", text}});
  }

  HttpRequest build_request(const Endpoint& endpoint, const std::string& system_prompt,
                            const json::array& conversation,
                            const std::vector<ToolSpec>& tools) const override {
    json::array messages;
    if (!system_prompt.empty())
      messages.push_back(json::object{{"role", "system"}, {"content", system_prompt}});
    for (const auto& message : conversation)
      messages.push_back(message);
    json::object body{{"model", endpoint.model},
                      {"messages", std::move(messages)},
                      {"stream", true},
                      {"stream_options", json::object{{"include_usage", true}}}};
    if (!tools.empty()) {
      json::array functions;
      for (const auto& tool : tools) {
        boost::system::error_code ec;
        auto schema = json::parse(tool.input_schema, ec);
        if (ec || !schema.is_object()) schema = json::object{{"type", "object"}};
        auto& parameters = schema.as_object();
        if (!parameters.contains("properties")) parameters["properties"] = json::object();
        functions.push_back(json::object{
            {"type", "function"},
            {"function",
             json::object{
                 {"name", tool.name}, {"description", tool.description}, {"parameters", schema}}}});
      }
      body["tools"] = std::move(functions);
    }
    HttpRequest request;
    request.url = endpoint.base_url + "/chat/completions";
    request.headers = {"Content-Type: application/json", "Accept: text/event-stream"};
    if (!endpoint.api_key.empty())
      request.headers.push_back("Authorization: Bearer " + endpoint.api_key);
    request.body = json::serialize(body);
    return request;
  }

  std::unique_ptr<StreamDecoder> decoder() const override {
    return std::make_unique<OpenAiDecoder>();
  }

  void add_turn(json::array& conversation, const ModelTurn& turn,
                const std::vector<ToolCallResult>& results) const override {
    conversation.push_back(turn.message);
    for (std::size_t i = 0; i < turn.tool_calls.size() && i < results.size(); ++i) {
      conversation.push_back(json::object{
          {"role", "tool"},
          {"tool_call_id", turn.tool_calls[i].id},
          {"content", results[i].is_error ? "ERROR: " + results[i].text : results[i].text}});
    }
  }

  RateLimitReset rate_limit_reset(const HttpResponse& response,
                                  std::int64_t now_unix_s) const override {
    RateLimitReset reset;
    reset.resets_at_unix_s = retry_after_unix_s(response, now_unix_s);
    // x-ratelimit-reset-{requests,tokens}: the limit that is used up (remaining 0) is the one
    // that matters; without remaining counts, the later reset.
    std::optional<std::int64_t> latest;
    std::string latest_type;
    bool exhausted_seen = false;
    for (const char* kind : {"requests", "tokens"}) {
      auto duration = parse_duration_ms(response.header(std::string("x-ratelimit-reset-") + kind));
      if (!duration) continue;
      const auto remaining = response.header(std::string("x-ratelimit-remaining-") + kind);
      const bool exhausted = remaining == "0";
      const std::int64_t at = now_unix_s + (*duration + 999) / 1000;
      if (exhausted && !exhausted_seen) {
        latest.reset();
        exhausted_seen = true;
      }
      if (exhausted_seen && !exhausted) continue;
      if (!latest || at > *latest) {
        latest = at;
        latest_type = kind;
      }
    }
    if (latest) {
      reset.limit_type = latest_type;
      if (!reset.resets_at_unix_s) reset.resets_at_unix_s = latest;
    }
    return reset;
  }
};

}  // namespace

std::unique_ptr<ModelProtocol> make_openai_protocol() {
  return std::make_unique<OpenAiProtocol>();
}

}  // namespace stork::agents::api
