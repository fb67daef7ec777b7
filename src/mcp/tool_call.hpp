// Running one tool and rendering tools to JSON (internal): shared by tools/call, tools/list and
// the in-process Server::call_tool, so both paths validate and fail the same way.
#pragma once

#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "mcp/tool.hpp"

namespace stork::mcp {

// Validates `arguments` (null counts as {}) against the tool's input schema, then runs the
// handler. Invalid arguments and a handler that throws become isError results; never throws.
boost::asio::awaitable<ToolResult> run_tool(std::shared_ptr<const Tool> tool, json::value arguments,
                                            ToolContext& context);

// The CallToolResult of the spec: content, structuredContent, isError.
json::object tool_result_json(const ToolResult& result);
// One entry of tools/list: name, title, description, inputSchema, outputSchema, annotations.
json::object tool_list_entry(const Tool& tool);

}  // namespace stork::mcp
