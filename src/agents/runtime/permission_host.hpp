// PermissionHost: where a runtime that receives an agent's permission questions itself (acp:
// session/request_permission) asks stork's permission flow, the same one Claude Code reaches
// through the prompt_permission MCP tool (ops/permission_ops.hpp: deny-list, rules, the
// agent's permission_mode, a person). The agents module cannot depend on ops (module order), so
// the app provides the implementation (tools/agent_permission_host.hpp).
#pragma once

#include <functional>
#include <string>

namespace stork::agents {

struct PermissionRequest {
  std::string agent;
  std::string story;
  std::string tool_name;   // "Bash" for a shell command, so its deny-list and rules apply
  std::string input_json;  // a JSON object's text
  std::string tool_use_id;
};

struct PermissionReply {
  bool allow = false;
  std::string message;  // a denial's reason
};

class PermissionHost {
 public:
  virtual ~PermissionHost() = default;
  // `done` exactly once, on any thread (a question held for a person may take minutes).
  virtual void ask(PermissionRequest request, std::function<void(PermissionReply)> done) = 0;
};

}  // namespace stork::agents
