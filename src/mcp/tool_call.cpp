#include "mcp/tool_call.hpp"

#include <exception>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <spdlog/spdlog.h>

#include "mcp/argument_validator.hpp"

namespace stork::mcp {
namespace {

ToolResult invalid_arguments(const Tool& tool, const std::vector<std::string>& problems) {
  std::string text = "Invalid arguments for tool " + tool.name + ":";
  for (const auto& problem : problems)
    text += "\n- " + problem;
  text += "\nCall it again with arguments that match its inputSchema (see tools/list).";
  return ToolResult::error(std::move(text));
}

void check_structured_output(const Tool& tool, const ToolResult& result) {
  if (!tool.output_schema || !result.structured || result.is_error) return;
  for (const auto& problem : validate_arguments(*tool.output_schema, *result.structured)) {
    spdlog::warn("MCP tool {}: structured result does not match its output schema: {}", tool.name,
                 problem);
  }
}

}  // namespace

boost::asio::awaitable<ToolResult> run_tool(std::shared_ptr<const Tool> tool, json::value arguments,
                                            ToolContext& context) {
  if (arguments.is_null()) arguments = json::object();
  std::vector<std::string> problems = validate_arguments(tool->input_schema, arguments);
  if (problems.empty() && !arguments.is_object()) {
    problems.push_back("arguments: expected object, got " +
                       std::string(arguments.is_array() ? "array" : "a single value"));
  }
  if (!problems.empty()) co_return invalid_arguments(*tool, problems);

  ToolResult result;
  std::string failure;
  try {
    ToolResult returned = co_await tool->handler(arguments.get_object(), context);
    result = std::move(returned);
  } catch (const std::exception& error) {
    failure = error.what();
  } catch (...) {
    failure = "unknown exception";
  }
  if (!failure.empty()) {
    spdlog::error("MCP tool {} threw: {}", tool->name, failure);
    co_return ToolResult::error("internal error in tool " + tool->name + ": " + failure);
  }
  check_structured_output(*tool, result);
  co_return result;
}

json::object tool_result_json(const ToolResult& result) {
  json::array content;
  for (const auto& text : result.text) {
    content.push_back(json::object{{"type", "text"}, {"text", text}});
  }
  json::object body{{"content", std::move(content)}, {"isError", result.is_error}};
  if (result.structured) body["structuredContent"] = *result.structured;
  return body;
}

json::object tool_list_entry(const Tool& tool) {
  json::object entry{{"name", tool.name}};
  if (!tool.title.empty()) entry["title"] = tool.title;
  entry["description"] = tool.description;
  entry["inputSchema"] =
      tool.input_schema.empty() ? json::object{{"type", "object"}} : tool.input_schema;
  if (tool.output_schema) entry["outputSchema"] = *tool.output_schema;
  entry["annotations"] = json::object{{"readOnlyHint", tool.read_only},
                                      {"destructiveHint", tool.destructive},
                                      {"idempotentHint", tool.idempotent}};
  return entry;
}

}  // namespace stork::mcp
