#include "agents/acp/session_update.hpp"

#include <boost/json/serialize.hpp>

#include "agents/agent_event.hpp"
#include "agents/runtime/event_building.hpp"

namespace stork::acp {
namespace json = boost::json;
using agents::make_event;
using agents::RuntimeEvent;
namespace event_type = agents::event_type;
namespace {

std::string string_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::int64_t count_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return 0;
  if (value->is_int64()) return std::max<std::int64_t>(value->as_int64(), 0);
  if (value->is_uint64()) return static_cast<std::int64_t>(value->as_uint64() & INT64_MAX);
  return 0;
}

void append_text(std::string& into, const std::string& text) {
  if (text.empty()) return;
  if (!into.empty()) into += "\n";
  into += text;
}

RuntimeEvent tool_call_event(const json::object& update) {
  const auto* input = update.if_contains("rawInput");
  json::object payload{{"id", string_field(update, "toolCallId")},
                       {"name", string_field(update, "title")},
                       {"input", input != nullptr ? *input : json::value(json::object{})}};
  if (auto kind = string_field(update, "kind"); !kind.empty()) payload["kind"] = kind;
  return make_event(event_type::kToolUse, payload);
}

// A tool call's end (completed or failed); progress updates say nothing a person needs.
std::optional<RuntimeEvent> tool_update_event(const json::object& update) {
  const auto status = string_field(update, "status");
  if (status != "completed" && status != "failed") return std::nullopt;
  std::string text;
  if (const auto* content = update.if_contains("content")) text = content_text(*content);
  if (const auto* output = update.if_contains("rawOutput"); text.empty() && output != nullptr)
    text = output->is_string() ? std::string(output->as_string()) : json::serialize(*output);
  return make_event(event_type::kToolResult, {{"tool_use_id", string_field(update, "toolCallId")},
                                              {"text", text},
                                              {"is_error", status == "failed"}});
}

RuntimeEvent plan_event(const json::object& update) {
  std::string text = "Plan:";
  if (const auto* entries = update.if_contains("entries"); entries && entries->is_array()) {
    for (const auto& entry : entries->as_array()) {
      if (!entry.is_object()) continue;
      text += "\n- [" + string_field(entry.as_object(), "status") + "] " +
              string_field(entry.as_object(), "content");
    }
  }
  return make_event(event_type::kOutput, {{"text", text}});
}

bool ignored_kind(const std::string& kind) {
  return kind == "available_commands_update" || kind == "current_mode_update" ||
         kind == "user_message_chunk" || kind == "config_option_update" ||
         kind == "session_info_update" || kind == "usage_update";
}

}  // namespace

std::string content_text(const json::value& content) {
  std::string text;
  if (content.is_array()) {
    for (const auto& item : content.as_array())
      append_text(text, content_text(item));
    return text;
  }
  if (!content.is_object()) return text;
  const auto& object = content.as_object();
  const auto type = string_field(object, "type");
  if (type == "text") return string_field(object, "text");
  if (type == "content") {
    if (const auto* inner = object.if_contains("content")) return content_text(*inner);
  }
  if (type == "diff") return "(edited " + string_field(object, "path") + ")";
  if (type == "terminal") return "(terminal " + string_field(object, "terminalId") + ")";
  if (type == "resource_link") return string_field(object, "uri");
  return text;
}

void SessionUpdateTranslator::append_chunk(bool thought, const json::object& update,
                                           std::vector<RuntimeEvent>& events) {
  if (!pending_.empty() && pending_thought_ != thought) flush(events);
  pending_thought_ = thought;
  if (const auto* content = update.if_contains("content")) pending_ += content_text(*content);
}

void SessionUpdateTranslator::flush(std::vector<RuntimeEvent>& events) {
  if (pending_.empty()) return;
  if (!pending_thought_) last_text_ = pending_;
  events.push_back(make_event(pending_thought_ ? event_type::kThinking : event_type::kAssistantText,
                              {{"text", pending_}}));
  pending_.clear();
}

void SessionUpdateTranslator::translate(const json::value& params,
                                        std::vector<RuntimeEvent>& events) {
  const auto* update = params.is_object() ? params.as_object().if_contains("update") : nullptr;
  if (update == nullptr || !update->is_object()) {
    events.push_back(make_event(event_type::kRaw, {{"line", json::serialize(params)}}));
    return;
  }
  const auto& object = update->as_object();
  const auto kind = string_field(object, "sessionUpdate");
  if (kind == "agent_message_chunk" || kind == "agent_thought_chunk")
    return append_chunk(kind == "agent_thought_chunk", object, events);
  if (ignored_kind(kind)) return;
  flush(events);
  if (kind == "tool_call") {
    events.push_back(tool_call_event(object));
  } else if (kind == "tool_call_update") {
    if (auto event = tool_update_event(object)) events.push_back(std::move(*event));
  } else if (kind == "plan") {
    events.push_back(plan_event(object));
  } else {
    events.push_back(make_event(event_type::kRaw, {{"line", json::serialize(*update)}}));
  }
}

RuntimeEvent SessionUpdateTranslator::result(const json::object& prompt_result,
                                             std::vector<RuntimeEvent>& events) {
  flush(events);
  const auto stop_reason = string_field(prompt_result, "stopReason");
  const bool failed =
      stop_reason == "refusal" || stop_reason == "max_tokens" || stop_reason == "max_turn_requests";
  json::object payload{{"subtype", stop_reason}, {"is_error", failed}, {"text", last_text_}};
  std::optional<agents::TokenUsage> usage;
  // The protocol's `usage` (agents that report it), in camelCase.
  if (const auto* reported = prompt_result.if_contains("usage");
      reported && reported->is_object()) {
    const auto& fields = reported->as_object();
    agents::TokenUsage tokens;
    tokens.input_tokens = count_field(fields, "inputTokens");
    tokens.output_tokens = count_field(fields, "outputTokens");
    tokens.cache_read_input_tokens = count_field(fields, "cachedReadTokens");
    tokens.cache_creation_input_tokens = count_field(fields, "cachedWriteTokens");
    payload["usage"] =
        json::object{{"input_tokens", tokens.input_tokens},
                     {"output_tokens", tokens.output_tokens},
                     {"cache_read_input_tokens", tokens.cache_read_input_tokens},
                     {"cache_creation_input_tokens", tokens.cache_creation_input_tokens}};
    usage = tokens;
  }
  auto event = make_event(event_type::kResult, payload);
  event.usage = usage;
  event.failed_result = failed;
  return event;
}

}  // namespace stork::acp
