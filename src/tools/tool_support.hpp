// What every tool group shares: input-schema builders, readers for arguments the validator has
// already checked, story-id resolution with messages that tell the model what to do next, the
// JSON of an item and of a run, and the translation of pipeline and pool errors into
// ToolResult::error. Private to src/tools; no tool is registered here.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "agents/agent_pool.hpp"
#include "base/result.hpp"
#include "engine/pipeline.hpp"
#include "mcp/tool.hpp"
#include "ops/agent_ops.hpp"
#include "ops/merge_json.hpp"
#include "ops/op_error.hpp"
#include "ops/run_json.hpp"
#include "work/stage_store.hpp"

namespace stork::tools {

namespace json = boost::json;

// ---- input schemas ----
// One property of a tool's input: its JSON Schema and whether it must be given.
struct Param {
  std::string name;
  json::object schema;
  bool required = false;
};

// {"type":"object","properties":{...},"required":[...],"additionalProperties":false}
json::object input_schema(std::initializer_list<Param> params = {});

json::object text_schema(std::string_view description, std::size_t max_length = 4096);
json::object integer_schema(std::string_view description, std::int64_t minimum,
                            std::int64_t maximum);
json::object boolean_schema(std::string_view description);
json::object text_list_schema(std::string_view description, std::size_t max_items = 100);
json::object choice_schema(std::string_view description, std::initializer_list<std::string_view>);

// story_id: a full id or a number; required.
Param story_id_param();
// agent_name: an agent of the roster.
Param agent_name_param(bool required, std::string_view description = {});

// ---- arguments (shape already checked by the validator) ----
std::string text_arg(const json::object& args, std::string_view key);
std::optional<std::string> optional_text(const json::object& args, std::string_view key);
std::optional<bool> optional_bool(const json::object& args, std::string_view key);
std::int64_t integer_arg(const json::object& args, std::string_view key, std::int64_t fallback);
std::vector<std::string> text_list(const json::object& args, std::string_view key);

// ---- items ----
// The item `id` names (full id or number), or why not, as a message for the model (op_error's
// text). For tools that need only the item's location; the rest call ops::ItemOps.
Result<StageStore::Entry, std::string> locate_story(const std::filesystem::path& project_root,
                                                    std::string_view id);

// An operation's refusal as the model reads it: the field it concerns, the facts, and what to
// do next (which tool lists the items, shows the stage, ...).
std::string op_error_text(const ops::OpError& error);
mcp::ToolResult op_error(const ops::OpError& error);

// A start or stop refused: the item look-up's or the pool's reason, for the model.
mcp::ToolResult agent_op_error(const ops::AgentOpError& error);

// ---- runs ----
// The one run JSON (ops/run_json.hpp).
using ops::run_json;
// The runs of one item (by full id), newest last.
std::vector<agents::AgentInfo> runs_of(const std::vector<agents::AgentInfo>& runs,
                                       std::string_view story_id);

// ---- merges ----
// The one merge-queue JSON (ops/merge_json.hpp).
using ops::merge_status_json;

// ---- errors ----
mcp::ToolResult pipeline_error(const engine::PipelineError& error);
mcp::ToolResult pool_error(const agents::PoolError& error);

}  // namespace stork::tools
