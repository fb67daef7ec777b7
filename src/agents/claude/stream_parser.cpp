#include "agents/claude/stream_parser.hpp"

#include <array>
#include <cmath>
#include <exception>
#include <limits>

#include <boost/json.hpp>
#include <boost/json/monotonic_resource.hpp>

namespace stork::claude {
namespace {

namespace json = boost::json;

// Deep enough for any real tool input, shallow enough that destroying a hostile value cannot
// exhaust the stack (Boost.JSON frees nested containers recursively).
constexpr std::size_t kMaxJsonDepth = 64;

// Enough for the tree of a typical line (a recorded init line, the largest, takes about 6 KB).
constexpr std::size_t kParseBufferBytes = std::size_t{16} * 1024;

const json::value* member(const json::object& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &it->value();
}

const json::object* object_member(const json::object& object, std::string_view key) {
  const json::value* value = member(object, key);
  return value ? value->if_object() : nullptr;
}

const json::array* array_member(const json::object& object, std::string_view key) {
  const json::value* value = member(object, key);
  return value ? value->if_array() : nullptr;
}

std::string string_member(const json::object& object, std::string_view key) {
  const json::value* value = member(object, key);
  const json::string* text = value ? value->if_string() : nullptr;
  return text ? std::string(*text) : std::string();
}

bool bool_member(const json::object& object, std::string_view key) {
  const json::value* value = member(object, key);
  const bool* flag = value ? value->if_bool() : nullptr;
  return flag && *flag;
}

std::optional<double> number_member(const json::object& object, std::string_view key) {
  const json::value* value = member(object, key);
  if (!value) return std::nullopt;
  if (const double* d = value->if_double(); d && std::isfinite(*d)) return *d;
  if (const std::int64_t* i = value->if_int64()) return static_cast<double>(*i);
  if (const std::uint64_t* u = value->if_uint64()) return static_cast<double>(*u);
  return std::nullopt;
}

// Integers may arrive as any JSON number; out-of-range or fractional-overflow values are
// treated as absent rather than wrapped.
std::optional<std::int64_t> int_member(const json::object& object, std::string_view key) {
  const json::value* value = member(object, key);
  if (!value) return std::nullopt;
  if (const std::int64_t* i = value->if_int64()) return *i;
  if (const std::uint64_t* u = value->if_uint64()) {
    if (*u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return static_cast<std::int64_t>(*u);
    return std::nullopt;
  }
  if (const double* d = value->if_double()) {
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    constexpr double kLimit = 9223372036854775808.0;
    if (std::isfinite(*d) && *d > -kLimit && *d < kLimit) return static_cast<std::int64_t>(*d);
  }
  return std::nullopt;
}

std::optional<int> small_int_member(const json::object& object, std::string_view key) {
  auto value = int_member(object, key);
  if (!value || *value < std::numeric_limits<int>::min() ||
      *value > std::numeric_limits<int>::max())
    return std::nullopt;
  return static_cast<int>(*value);
}

StreamEvent make_event(StreamEventType type, const std::string& session_id) {
  StreamEvent event;
  event.type = type;
  event.session_id = session_id;
  return event;
}

StreamEvent raw_event(std::string_view line, const std::string& session_id) {
  StreamEvent event = make_event(StreamEventType::Raw, session_id);
  event.text = std::string(line);
  return event;
}

// Text of a tool_result's content: a plain string, or the text blocks of a block list.
std::string tool_result_text(const json::value* content) {
  if (!content) return {};
  if (const json::string* text = content->if_string()) return std::string(*text);
  std::string joined;
  if (const json::array* blocks = content->if_array()) {
    for (const json::value& block : *blocks) {
      const json::object* object = block.if_object();
      if (!object || string_member(*object, "type") != "text") continue;
      if (!joined.empty()) joined += '\n';
      joined += string_member(*object, "text");
    }
  }
  return joined;
}

// Returns false for a block this parser does not know (the caller then keeps the line as Raw).
bool append_assistant_block(const json::object& block, const std::string& session_id,
                            std::vector<StreamEvent>& events) {
  const std::string type = string_member(block, "type");
  if (type == "text") {
    StreamEvent event = make_event(StreamEventType::AssistantText, session_id);
    event.text = string_member(block, "text");
    events.push_back(std::move(event));
  } else if (type == "thinking" || type == "redacted_thinking") {
    StreamEvent event = make_event(StreamEventType::Thinking, session_id);
    event.text = string_member(block, "thinking");
    events.push_back(std::move(event));
  } else if (type == "tool_use" || type == "server_tool_use" || type == "mcp_tool_use") {
    StreamEvent event = make_event(StreamEventType::ToolUse, session_id);
    event.tool_name = string_member(block, "name");
    event.tool_use_id = string_member(block, "id");
    const json::value* input = member(block, "input");
    event.tool_input_json = input ? json::serialize(*input) : "{}";
    events.push_back(std::move(event));
  } else {
    return false;
  }
  return true;
}

bool append_user_block(const json::object& block, const std::string& session_id,
                       std::vector<StreamEvent>& events) {
  if (string_member(block, "type") != "tool_result") return false;
  StreamEvent event = make_event(StreamEventType::ToolResult, session_id);
  event.tool_use_id = string_member(block, "tool_use_id");
  event.is_error = bool_member(block, "is_error");
  event.text = tool_result_text(member(block, "content"));
  events.push_back(std::move(event));
  return true;
}

using BlockParser = bool (*)(const json::object&, const std::string&, std::vector<StreamEvent>&);

// assistant and user lines: {"message": {"content": [blocks] or "text"}}. Any block not
// understood keeps the whole line as one extra Raw event.
void parse_message(const json::object& line_object, std::string_view line,
                   const std::string& session_id, BlockParser parse_block,
                   StreamEventType string_content_type, std::vector<StreamEvent>& events) {
  bool fully_understood = true;
  const json::object* message = object_member(line_object, "message");
  const json::value* content = message ? member(*message, "content") : nullptr;
  if (const json::array* blocks = content ? content->if_array() : nullptr) {
    for (const json::value& block : *blocks) {
      const json::object* object = block.if_object();
      if (!object || !parse_block(*object, session_id, events)) fully_understood = false;
    }
  } else if (const json::string* text = content ? content->if_string() : nullptr;
             text && string_content_type != StreamEventType::Raw) {
    StreamEvent event = make_event(string_content_type, session_id);
    event.text = std::string(*text);
    events.push_back(std::move(event));
  } else {
    fully_understood = false;
  }
  if (!fully_understood || events.empty()) events.push_back(raw_event(line, session_id));
}

std::optional<RateLimit::Level> parse_level(std::string_view status) {
  if (status == "allowed") return RateLimit::Level::Allowed;
  if (status == "allowed_warning") return RateLimit::Level::Warning;
  if (status == "rejected") return RateLimit::Level::Rejected;
  return std::nullopt;
}

// rate_limit_info: {"status", "resetsAt", "rateLimitType", ...}.
std::optional<RateLimit> parse_rate_limit_info(const json::object& info) {
  auto level = parse_level(string_member(info, "status"));
  if (!level) return std::nullopt;
  RateLimit limit;
  limit.level = *level;
  limit.resets_at_unix_s = int_member(info, "resetsAt");
  limit.limit_type = string_member(info, "rateLimitType");
  return limit;
}

Usage usage_from(const json::object& usage) {
  return Usage{int_member(usage, "input_tokens").value_or(0),
               int_member(usage, "output_tokens").value_or(0),
               int_member(usage, "cache_creation_input_tokens").value_or(0),
               int_member(usage, "cache_read_input_tokens").value_or(0)};
}

// modelUsage: {"<model>": {"inputTokens", "outputTokens", "cacheReadInputTokens",
// "cacheCreationInputTokens", ...}}; summed over the models.
Usage usage_from_model_usage(const json::object& model_usage) {
  Usage sum;
  for (const auto& entry : model_usage) {
    const json::object* figures = entry.value().if_object();
    if (!figures) continue;
    sum.input_tokens += int_member(*figures, "inputTokens").value_or(0);
    sum.output_tokens += int_member(*figures, "outputTokens").value_or(0);
    sum.cache_creation_input_tokens += int_member(*figures, "cacheCreationInputTokens").value_or(0);
    sum.cache_read_input_tokens += int_member(*figures, "cacheReadInputTokens").value_or(0);
  }
  return sum;
}

// The costUSD figures of a {"<model>": {...}} object, summed (no model: nothing spent).
double cost_from_model_usage(const json::object& model_usage) {
  double sum = 0.0;
  for (const auto& entry : model_usage) {
    const json::object* figures = entry.value().if_object();
    sum += (figures ? number_member(*figures, "costUSD") : std::nullopt).value_or(0.0);
  }
  return sum;
}

StreamEvent parse_result(const json::object& object, const std::string& session_id) {
  StreamEvent event = make_event(StreamEventType::Result, session_id);
  event.result_subtype = string_member(object, "subtype");
  event.is_error = bool_member(object, "is_error");
  event.text = string_member(object, "result");
  if (const json::array* errors = array_member(object, "errors"); errors && event.text.empty()) {
    for (const json::value& error : *errors) {
      const json::string* text = error.if_string();
      if (!text) continue;
      if (!event.text.empty()) event.text += '\n';
      event.text += *text;
    }
  }
  event.total_cost_usd = number_member(object, "total_cost_usd");
  event.num_turns = small_int_member(object, "num_turns");
  if (const json::object* since = object_member(object, "model_usage_since_last_result"))
    event.run_cost_usd = cost_from_model_usage(*since);

  const json::object* model_usage = object_member(object, "modelUsage");
  if (const json::object* usage = object_member(object, "usage")) {
    event.usage = usage_from(*usage);
  } else if (model_usage && !model_usage->empty()) {
    event.usage = usage_from_model_usage(*model_usage);
  }
  if (model_usage && model_usage->size() == 1) event.model = model_usage->begin()->key();

  // An API error that is a 429: the CLI gave up retrying (see docs/claude-code.md). Only a
  // gateway / subscription client gets the limiter's details with it.
  if (int_member(object, "api_error_status") == 429) {
    RateLimit limit;
    limit.level = RateLimit::Level::Rejected;
    if (const json::object* params = object_member(object, "api_error_params")) {
      if (const json::object* info = object_member(*params, "rate_limit_info")) {
        if (auto reported = parse_rate_limit_info(*info)) {
          limit.resets_at_unix_s = reported->resets_at_unix_s;
          limit.limit_type = reported->limit_type;
        }
      }
    }
    event.rate_limit = limit;
  }
  return event;
}

std::vector<StreamEvent> parse_object(const json::object& object, std::string_view line) {
  const std::string session_id = string_member(object, "session_id");
  const std::string type = string_member(object, "type");
  std::vector<StreamEvent> events;
  if (type == "system" && string_member(object, "subtype") == "init") {
    StreamEvent event = make_event(StreamEventType::Init, session_id);
    event.model = string_member(object, "model");
    events.push_back(std::move(event));
  } else if (type == "assistant") {
    parse_message(object, line, session_id, append_assistant_block, StreamEventType::AssistantText,
                  events);
  } else if (type == "user") {
    parse_message(object, line, session_id, append_user_block, StreamEventType::Raw, events);
  } else if (type == "rate_limit_event") {
    const json::object* info = object_member(object, "rate_limit_info");
    auto limit = info ? parse_rate_limit_info(*info) : std::nullopt;
    if (limit) {
      StreamEvent event = make_event(StreamEventType::RateLimit, session_id);
      event.rate_limit = std::move(limit);
      events.push_back(std::move(event));
    } else {
      events.push_back(raw_event(line, session_id));
    }
  } else if (type == "result") {
    events.push_back(parse_result(object, session_id));
  } else {
    events.push_back(raw_event(line, session_id));
  }
  return events;
}

}  // namespace

std::string_view without_line_end(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
    line.remove_suffix(1);
  return line;
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

std::vector<StreamEvent> parse_stream_line(std::string_view line) {
  line = without_line_end(line);
  if (is_blank(line)) return {};
  try {
    json::parse_options options;
    options.max_depth = kMaxJsonDepth;
    boost::system::error_code error;
    // The parsed tree lives only for this call: its nodes come from one buffer on the stack
    // (the heap only past it) and are freed at once, not one by one (issue 22: malloc and free
    // were a third of the time of a line).
    std::array<unsigned char, kParseBufferBytes> buffer;
    json::monotonic_resource resource(buffer.data(), buffer.size());
    json::value value = json::parse(line, error, &resource, options);
    const json::object* object = error ? nullptr : value.if_object();
    if (!object) return {raw_event(line, {})};
    return parse_object(*object, line);
  } catch (const std::exception&) {
    // Only allocation failure can get here; the line is still worth keeping.
    return {raw_event(line, {})};
  }
}

}  // namespace stork::claude
