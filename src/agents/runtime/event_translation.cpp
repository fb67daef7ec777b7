#include "agents/runtime/event_translation.hpp"

#include <boost/json.hpp>

#include "agents/agent_event.hpp"
#include "agents/claude/stream_parser.hpp"
#include "agents/runtime/event_building.hpp"

namespace stork::agents {
namespace json = boost::json;
namespace {

json::object usage_object(const claude::Usage& usage) {
  return {{"input_tokens", usage.input_tokens},
          {"output_tokens", usage.output_tokens},
          {"cache_creation_input_tokens", usage.cache_creation_input_tokens},
          {"cache_read_input_tokens", usage.cache_read_input_tokens}};
}

std::string_view level_name(claude::RateLimit::Level level) {
  switch (level) {
    case claude::RateLimit::Level::Allowed:
      return "allowed";
    case claude::RateLimit::Level::Warning:
      return "warning";
    case claude::RateLimit::Level::Rejected:
      return "rejected";
  }
  return "allowed";
}

RuntimeEvent rate_limit_event(const claude::RateLimit& limit) {
  json::object payload{{"level", level_name(limit.level)}, {"limit_type", limit.limit_type}};
  if (limit.resets_at_unix_s) payload["resets_at"] = *limit.resets_at_unix_s;
  auto event = make_event(event_type::kRateLimit, payload);
  event.rate_limit = RateLimitNotice{limit.level == claude::RateLimit::Level::Rejected,
                                     limit.level == claude::RateLimit::Level::Allowed,
                                     limit.resets_at_unix_s, limit.limit_type};
  return event;
}

RuntimeEvent result_event(const claude::StreamEvent& in) {
  json::object payload{
      {"subtype", in.result_subtype}, {"is_error", in.is_error}, {"text", in.text}};
  if (in.usage) payload["usage"] = usage_object(*in.usage);
  if (in.total_cost_usd) payload["total_cost_usd"] = *in.total_cost_usd;
  if (in.run_cost_usd) payload["run_cost_usd"] = *in.run_cost_usd;
  if (in.num_turns) payload["num_turns"] = *in.num_turns;
  auto event = make_event(event_type::kResult, payload);
  if (in.usage || in.total_cost_usd) {
    TokenUsage usage;
    if (in.usage) {
      usage.input_tokens = in.usage->input_tokens;
      usage.output_tokens = in.usage->output_tokens;
      usage.cache_creation_input_tokens = in.usage->cache_creation_input_tokens;
      usage.cache_read_input_tokens = in.usage->cache_read_input_tokens;
    }
    // total_cost_usd covers the whole session, earlier resumed runs included; the run's
    // own share is run_cost_usd when the CLI reports it.
    usage.cost_usd = in.run_cost_usd ? *in.run_cost_usd : in.total_cost_usd.value_or(0.0);
    event.usage = usage;
  }
  if (!in.session_id.empty()) event.session_id = in.session_id;
  if (!in.model.empty()) event.model = in.model;
  event.failed_result = in.is_error;
  if (in.rate_limit && in.rate_limit->level == claude::RateLimit::Level::Rejected) {
    event.rate_limit =
        RateLimitNotice{true, false, in.rate_limit->resets_at_unix_s, in.rate_limit->limit_type};
  }
  return event;
}

RuntimeEvent translate(const claude::StreamEvent& in) {
  using Type = claude::StreamEventType;
  switch (in.type) {
    case Type::Init: {
      auto event =
          make_event(event_type::kSession, {{"session_id", in.session_id}, {"model", in.model}});
      if (!in.session_id.empty()) event.session_id = in.session_id;
      if (!in.model.empty()) event.model = in.model;
      return event;
    }
    case Type::AssistantText:
      return make_event(event_type::kAssistantText, {{"text", in.text}});
    case Type::Thinking:
      return make_event(event_type::kThinking, {{"text", in.text}});
    case Type::ToolUse:
      return make_event(event_type::kToolUse, {{"id", in.tool_use_id},
                                               {"name", in.tool_name},
                                               {"input", parsed_or_string(in.tool_input_json)}});
    case Type::ToolResult:
      return make_event(
          event_type::kToolResult,
          {{"tool_use_id", in.tool_use_id}, {"text", in.text}, {"is_error", in.is_error}});
    case Type::RateLimit:
      return rate_limit_event(*in.rate_limit);
    case Type::Result:
      return result_event(in);
    case Type::Raw:
      break;
  }
  return make_event(event_type::kRaw, {{"line", in.text}});
}

bool looks_like_json_object(std::string_view line) {
  auto first = line.find_first_not_of(" \t");
  return first != std::string_view::npos && line[first] == '{';
}

}  // namespace

void translate_claude_line(std::string_view line, std::vector<RuntimeEvent>& events) {
  // Terminal control sequences the CLI writes to its PTY (it shows the cursor on exit) are
  // kept, but as raw events rather than output a person would read.
  if (!line.empty() && line.front() == '\x1b') {
    events.push_back(make_event(event_type::kRaw, {{"line", line}}));
    return;
  }
  if (!looks_like_json_object(line)) {
    if (!line.empty()) events.push_back(make_event(event_type::kOutput, {{"text", line}}));
    return;
  }
  for (const auto& event : claude::parse_stream_line(line))
    events.push_back(translate(event));
}

void translate_command_line(std::string_view line, std::vector<RuntimeEvent>& events) {
  if (!looks_like_json_object(line)) {
    events.push_back(make_event(event_type::kOutput, {{"text", line}}));
    return;
  }
  auto parsed = claude::parse_stream_line(line);
  // A JSON line that is not stream-json is just output of the command.
  if (parsed.size() == 1 && parsed.front().type == claude::StreamEventType::Raw) {
    events.push_back(make_event(event_type::kOutput, {{"text", line}}));
    return;
  }
  for (const auto& event : parsed)
    events.push_back(translate(event));
}

RuntimeEvent status_event(std::string_view status, std::string_view reason) {
  json::object payload{{"status", status}};
  if (!reason.empty()) payload["reason"] = reason;
  return make_event(event_type::kStatus, payload);
}

RuntimeEvent error_event(std::string_view message) {
  return make_event(event_type::kError, {{"message", message}});
}

RuntimeEvent done_event(std::string_view status, std::string_view exit_reason,
                        const std::optional<std::string>& session_id) {
  json::object payload{{"status", status}, {"exit", exit_reason}};
  if (session_id) payload["session_id"] = *session_id;
  return make_event(event_type::kDone, payload);
}

}  // namespace stork::agents
