#include "tools/tool_support.hpp"

#include <algorithm>

#include "ops/item_lookup.hpp"

namespace stork::tools {

json::object input_schema(std::initializer_list<Param> params) {
  json::object properties;
  json::array required;
  for (const auto& param : params) {
    properties[param.name] = param.schema;
    if (param.required) required.emplace_back(param.name);
  }
  json::object schema{
      {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

json::object text_schema(std::string_view description, std::size_t max_length) {
  return json::object{{"type", "string"},
                      {"description", description},
                      {"minLength", 1},
                      {"maxLength", max_length}};
}

json::object integer_schema(std::string_view description, std::int64_t minimum,
                            std::int64_t maximum) {
  return json::object{{"type", "integer"},
                      {"description", description},
                      {"minimum", minimum},
                      {"maximum", maximum}};
}

json::object boolean_schema(std::string_view description) {
  return json::object{{"type", "boolean"}, {"description", description}};
}

json::object text_list_schema(std::string_view description, std::size_t max_items) {
  return json::object{{"type", "array"},
                      {"description", description},
                      {"items", json::object{{"type", "string"}, {"minLength", 1}}},
                      {"maxItems", max_items}};
}

json::object choice_schema(std::string_view description,
                           std::initializer_list<std::string_view> choices) {
  json::array values;
  for (auto choice : choices)
    values.emplace_back(choice);
  return json::object{{"type", "string"}, {"description", description}, {"enum", values}};
}

Param story_id_param() {
  // The pattern keeps paths and option-like text out before the store sees them; the store
  // parses the id strictly anyway and its reason is what the model reads.
  return Param{
      "story_id",
      json::object{{"type", "string"},
                   {"description", "The item's id (42_story_login) or just its number (42)"},
                   {"minLength", 1},
                   {"maxLength", 200}},
      true};
}

Param agent_name_param(bool required, std::string_view description) {
  return Param{"agent_name",
               text_schema(description.empty()
                               ? std::string_view("An agent of the roster (get_agent_config)")
                               : description,
                           100),
               required};
}

std::string text_arg(const json::object& args, std::string_view key) {
  return std::string(args.at(key).as_string());
}

std::optional<std::string> optional_text(const json::object& args, std::string_view key) {
  const auto* value = args.if_contains(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

std::optional<bool> optional_bool(const json::object& args, std::string_view key) {
  const auto* value = args.if_contains(key);
  if (value == nullptr || !value->is_bool()) return std::nullopt;
  return value->as_bool();
}

std::int64_t integer_arg(const json::object& args, std::string_view key, std::int64_t fallback) {
  const auto* value = args.if_contains(key);
  if (value == nullptr) return fallback;
  // The validator accepts any number without a fraction as an integer: 3, 3.0, 2^63.
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) {
    return static_cast<std::int64_t>(
        std::min<std::uint64_t>(value->as_uint64(), static_cast<std::uint64_t>(INT64_MAX)));
  }
  if (value->is_double()) return static_cast<std::int64_t>(value->as_double());
  return fallback;
}

std::vector<std::string> text_list(const json::object& args, std::string_view key) {
  std::vector<std::string> values;
  const auto* value = args.if_contains(key);
  if (value == nullptr || !value->is_array()) return values;
  for (const auto& element : value->as_array()) {
    if (element.is_string()) values.emplace_back(element.as_string());
  }
  return values;
}

std::string op_error_text(const ops::OpError& error) {
  using Kind = ops::OpError::Kind;
  std::string text = error.field.empty() ? error.message : error.field + ": " + error.message;
  switch (error.kind) {
    case Kind::InvalidId:
      return text + " (give a full id such as 42_story_login, or its number)";
    case Kind::NotFound:
      if (!error.field.empty()) return text;
      return text +
             " (list_upcoming shows the backlog and current items, get_pipeline_status "
             "every stage)";
    case Kind::WrongStage:
      return text + " (status shows where the item is)";
    case Kind::Busy:
      return text + " (try again when it has finished)";
    case Kind::Malformed:
      return text + " (fix the file, then try again)";
    case Kind::InvalidInput:
    case Kind::Conflict:
    case Kind::Failed:
      break;
  }
  return text;
}

mcp::ToolResult op_error(const ops::OpError& error) {
  return mcp::ToolResult::error(op_error_text(error));
}

mcp::ToolResult agent_op_error(const ops::AgentOpError& error) {
  if (const auto* lookup = std::get_if<ops::OpError>(&error.cause)) return op_error(*lookup);
  return pool_error(std::get<agents::PoolError>(error.cause));
}

Result<StageStore::Entry, std::string> locate_story(const std::filesystem::path& project_root,
                                                    std::string_view id) {
  auto located = ops::locate_item(project_root, id);
  if (!located.ok()) return fail(op_error_text(located.error()));
  return std::move(located.value());
}

std::vector<agents::AgentInfo> runs_of(const std::vector<agents::AgentInfo>& runs,
                                       std::string_view story_id) {
  std::vector<agents::AgentInfo> matching;
  for (const auto& run : runs) {
    if (run.story_id == story_id) matching.push_back(run);
  }
  std::stable_sort(matching.begin(), matching.end(),
                   [](const agents::AgentInfo& a, const agents::AgentInfo& b) {
                     return a.started_at_ms < b.started_at_ms;
                   });
  return matching;
}

mcp::ToolResult pipeline_error(const engine::PipelineError& error) {
  using Kind = engine::PipelineError::Kind;
  switch (error.kind) {
    case Kind::NotFound:
      return mcp::ToolResult::error(error.message +
                                    " (list_upcoming or get_pipeline_status list the items)");
    case Kind::WrongStage:
      return mcp::ToolResult::error(error.message + " (status shows where the item is)");
    case Kind::Busy:
      return mcp::ToolResult::error(error.message + " (try again when it has finished)");
    case Kind::InvalidInput:
    case Kind::Failed:
      break;
  }
  return mcp::ToolResult::error(error.message);
}

mcp::ToolResult pool_error(const agents::PoolError& error) {
  using Kind = agents::PoolError::Kind;
  switch (error.kind) {
    case Kind::UnknownAgent:
      return mcp::ToolResult::error(error.message + " (get_agent_config lists the roster)");
    case Kind::NotFound:
      return mcp::ToolResult::error(error.message + " (list_agents shows every run)");
    default:
      break;
  }
  return mcp::ToolResult::error(error.message);
}

}  // namespace stork::tools
