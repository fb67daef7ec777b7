#include "agents/runtime/codex_event_translation.hpp"

#include <boost/json.hpp>

#include "agents/agent_event.hpp"
#include "agents/runtime/event_building.hpp"

namespace stork::agents {
namespace json = boost::json;
namespace {

std::string string_at(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::int64_t int_at(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_int64() ? value->get_int64() : 0;
}

const json::object* object_at(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value ? value->if_object() : nullptr;
}

// An MCP tool's answer: its text blocks, one per line; an error's message.
std::string mcp_result_text(const json::object& item) {
  if (const auto* error = object_at(item, "error")) return string_at(*error, "message");
  std::string text;
  if (const auto* result = object_at(item, "result")) {
    if (const auto* content = result->if_contains("content"); content && content->is_array()) {
      for (const auto& block : content->get_array()) {
        if (!block.is_object()) continue;
        if (!text.empty()) text += '\n';
        text += string_at(block.get_object(), "text");
      }
    }
  }
  return text;
}

RuntimeEvent tool_use(const std::string& id, std::string_view name, json::value input) {
  return make_event(event_type::kToolUse,
                    {{"id", id}, {"name", name}, {"input", std::move(input)}});
}

RuntimeEvent tool_result(const std::string& id, std::string_view text, bool is_error) {
  return make_event(event_type::kToolResult,
                    {{"tool_use_id", id}, {"text", text}, {"is_error", is_error}});
}

// item.started / item.completed of one item.
void translate_item(const json::object& item, bool completed, std::vector<RuntimeEvent>& events) {
  const std::string type = string_at(item, "type");
  const std::string id = string_at(item, "id");
  const std::string status = string_at(item, "status");
  if (type == "command_execution") {
    if (!completed) {
      events.push_back(
          tool_use(id, "exec_command", json::object{{"command", string_at(item, "command")}}));
    } else {
      events.push_back(
          tool_result(id, string_at(item, "aggregated_output"), status != "completed"));
    }
  } else if (type == "mcp_tool_call") {
    if (!completed) {
      const auto* arguments = item.if_contains("arguments");
      events.push_back(
          tool_use(id, "mcp__" + string_at(item, "server") + "__" + string_at(item, "tool"),
                   arguments ? *arguments : json::value(json::object())));
    } else {
      events.push_back(tool_result(id, mcp_result_text(item), status != "completed"));
    }
  } else if (type == "file_change" && completed) {
    // Reported only once applied (or failed): the call and its outcome at once.
    const auto* changes = item.if_contains("changes");
    events.push_back(
        tool_use(id, "apply_patch", json::object{{"changes", changes ? *changes : json::array()}}));
    events.push_back(tool_result(id, status, status != "completed"));
  } else if (type == "agent_message" && completed) {
    events.push_back(make_event(event_type::kAssistantText, {{"text", string_at(item, "text")}}));
  } else if (type == "reasoning" && completed) {
    events.push_back(make_event(event_type::kThinking, {{"text", string_at(item, "text")}}));
  } else if (type == "error") {
    events.push_back(make_event(event_type::kError, {{"message", string_at(item, "message")}}));
  } else if (type == "file_change" || type == "agent_message" || type == "reasoning") {
    return;  // started: the completed item says it all
  } else {
    events.push_back(make_event(event_type::kRaw, {{"line", json::serialize(item)}}));
  }
}

RuntimeEvent completed_result(const json::object& event, const CodexRunFacts& facts,
                              const std::string& thread_id) {
  TokenUsage usage;
  usage.session_totals = true;
  if (const auto* counted = object_at(event, "usage")) {
    const std::int64_t cached = int_at(*counted, "cached_input_tokens");
    usage.input_tokens = std::max<std::int64_t>(0, int_at(*counted, "input_tokens") - cached);
    usage.cache_read_input_tokens = cached;
    usage.output_tokens = int_at(*counted, "output_tokens");
  }
  if (facts.price) {
    const ModelPrice& price = *facts.price;
    usage.cost_usd = (static_cast<double>(usage.input_tokens) * price.input_per_mtok +
                      static_cast<double>(usage.cache_read_input_tokens) *
                          price.cached_input_per_mtok.value_or(price.input_per_mtok) +
                      static_cast<double>(usage.output_tokens) * price.output_per_mtok) /
                     1e6;
  }
  json::object payload{{"subtype", "success"},
                       {"is_error", false},
                       {"text", ""},
                       {"usage",
                        {{"input_tokens", usage.input_tokens},
                         {"output_tokens", usage.output_tokens},
                         {"cache_creation_input_tokens", 0},
                         {"cache_read_input_tokens", usage.cache_read_input_tokens}}},
                       {"total_cost_usd", usage.cost_usd}};
  if (!facts.price) payload["cost_note"] = "no price known for model '" + facts.model + "'";
  auto result = make_event(event_type::kResult, payload);
  result.usage = usage;
  if (!thread_id.empty()) result.session_id = thread_id;
  if (!facts.model.empty()) result.model = facts.model;
  return result;
}

void failed_result(const json::object& event, const CodexRunFacts& facts,
                   const std::string& thread_id, std::vector<RuntimeEvent>& events) {
  std::string said;
  if (const auto* error = object_at(event, "error")) said = string_at(*error, "message");
  const auto failure = codex::classify_failure(said, facts.failure);
  std::optional<RateLimitNotice> limit;
  if (failure.kind == codex::Failure::Kind::RateLimited) {
    // The CLI names no reset time: the pool tries again after its default wait.
    limit = RateLimitNotice{true, false, std::nullopt, "requests"};
    events.push_back(
        make_event(event_type::kRateLimit, {{"level", "rejected"}, {"limit_type", "requests"}}));
    events.back().rate_limit = limit;
  }
  auto result = make_event(
      event_type::kResult,
      {{"subtype", "error_during_execution"}, {"is_error", true}, {"text", failure.message}});
  result.failed_result = true;
  result.failure = failure.message;
  result.rate_limit = limit;
  if (!thread_id.empty()) result.session_id = thread_id;
  events.push_back(std::move(result));
}

}  // namespace

void CodexEventTranslator::translate(std::string_view line, std::vector<RuntimeEvent>& events) {
  boost::system::error_code ec;
  json::value parsed = json::parse(line, ec);
  if (ec || !parsed.is_object()) {
    if (!line.empty()) events.push_back(make_event(event_type::kOutput, {{"text", line}}));
    return;
  }
  const json::object& event = parsed.get_object();
  const std::string type = string_at(event, "type");
  if (type == "thread.started") {
    thread_id_ = string_at(event, "thread_id");
    auto session =
        make_event(event_type::kSession, {{"session_id", thread_id_}, {"model", facts_.model}});
    if (!thread_id_.empty()) session.session_id = thread_id_;
    if (!facts_.model.empty()) session.model = facts_.model;
    events.push_back(std::move(session));
  } else if (type == "turn.started") {
    return;  // the turn's items and its end say everything
  } else if (type == "item.started" || type == "item.completed") {
    if (const auto* item = object_at(event, "item")) {
      translate_item(*item, type == "item.completed", events);
    } else {
      events.push_back(make_event(event_type::kRaw, {{"line", line}}));
    }
  } else if (type == "error") {
    events.push_back(make_event(event_type::kError, {{"message", string_at(event, "message")}}));
  } else if (type == "turn.completed") {
    events.push_back(completed_result(event, facts_, thread_id_));
  } else if (type == "turn.failed") {
    failed_result(event, facts_, thread_id_, events);
  } else {
    events.push_back(make_event(event_type::kRaw, {{"line", line}}));
  }
}

}  // namespace stork::agents
