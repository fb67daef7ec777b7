// The one JSON shape of a permission request and of an answer, for REST (/api/permissions),
// the CLI's --json, the board and notifications. Fields: docs/permissions.md.
#pragma once

#include <boost/json/object.hpp>

#include "ops/permission_ops.hpp"

namespace stork::ops {

// id, agent, story_id, tool_name, input (the tool's input as JSON), tool_use_id,
// requested_at_ms, expires_at_ms, run_id, rules_error (only when the rules file is broken).
boost::json::object permission_json(const PendingPermission& pending);

// id, behavior ("allow" | "deny"), decided_by, always, message (a deny's reason), decided_at_ms.
boost::json::object answer_json(const std::string& id, const PermissionAnswer& answer);

}  // namespace stork::ops
