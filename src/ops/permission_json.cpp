#include "ops/permission_json.hpp"

#include <boost/json/parse.hpp>

namespace stork::ops {
namespace json = boost::json;

json::object permission_json(const PendingPermission& pending) {
  std::error_code ec;
  json::value input = json::parse(pending.question.input_json, ec);
  if (ec) input = pending.question.input_json;
  json::object out{{"id", pending.id},
                   {"agent", pending.question.agent},
                   {"story_id", pending.question.story},
                   {"tool_name", pending.question.tool_name},
                   {"input", std::move(input)},
                   {"tool_use_id", pending.question.tool_use_id},
                   {"requested_at_ms", pending.requested_ms},
                   {"expires_at_ms", pending.expires_ms}};
  out["run_id"] = pending.run_id ? json::value(*pending.run_id) : json::value(nullptr);
  if (!pending.rules_error.empty()) out["rules_error"] = pending.rules_error;
  return out;
}

json::object answer_json(const std::string& id, const PermissionAnswer& answer) {
  json::object out{{"id", id},
                   {"behavior", answer.allow ? "allow" : "deny"},
                   {"decided_by", to_string(answer.decided_by)},
                   {"always", answer.always},
                   {"decided_at_ms", answer.decided_ms}};
  if (!answer.message.empty()) out["message"] = answer.message;
  return out;
}

}  // namespace stork::ops
