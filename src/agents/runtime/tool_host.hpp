// ToolHost: the tools an API runtime (openai, gemini) offers its model, and how it calls them.
// The agents module cannot depend on mcp or tools (module order), so the pool receives an
// implementation from the app (src/tools/agent_tool_host.hpp): stork's MCP tools called
// in-process through the MCP server's own dispatch, plus the built-in worktree tools. JSON
// travels as text here so that this header stays cheap to include.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "proc/sandbox.hpp"

namespace stork::agents {

struct ToolSpec {
  std::string name;
  std::string description;
  std::string input_schema;  // JSON Schema (an object with "type":"object"), as JSON text
};

// Who calls: the run's item, agent and worktree (the built-in tools act in that worktree).
struct ToolCaller {
  std::string story_id;
  std::string agent_name;
  std::filesystem::path worktree;
  // The project's `sandbox` for run_command (docs/sandbox.md): set, commands run under bwrap.
  std::optional<proc::SandboxPolicy> sandbox{};
};

// What the model reads back. A failed call (unknown tool, invalid arguments, a tool error) is
// a result with is_error, never an exception: the model can correct itself and the run goes on.
struct ToolCallResult {
  std::string text;
  bool is_error = false;
};

class ToolHost {
 public:
  virtual ~ToolHost() = default;
  virtual std::vector<ToolSpec> list_tools() const = 0;
  // Calls `name` with `arguments_json` (a JSON object's text); `done` is called exactly once,
  // on any thread. May be called from any thread.
  virtual void call(const std::string& name, const std::string& arguments_json,
                    const ToolCaller& caller, std::function<void(ToolCallResult)> done) = 0;
};

}  // namespace stork::agents
