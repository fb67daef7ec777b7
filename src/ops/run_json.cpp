#include "ops/run_json.hpp"

#include <boost/json/value.hpp>

namespace stork::ops {
namespace json = boost::json;

namespace {

template <class T>
json::value optional_value(const std::optional<T>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

// "setup" when the run failed before its agent ran (it counts as no attempt), "agent" for any
// other failure, null while it has not failed.
json::value failure_kind(const agents::AgentInfo& run) {
  if (run.setup_failure) return "setup";
  if (run.status == agents::AgentStatus::Failed) return "agent";
  return nullptr;
}

}  // namespace

json::object run_json(const agents::AgentInfo& run) {
  return json::object{{"story_id", run.story_id},
                      {"agent", run.agent_name},
                      {"agent_name", run.agent_name},
                      {"status", agents::to_string(run.status)},
                      {"active", agents::is_active(run.status)},
                      {"run_id", run.run_id},
                      {"runtime", run.runtime},
                      {"model", run.model},
                      {"session_id", optional_value(run.session_id)},
                      {"worktree_path", run.worktree_path.string()},
                      {"pid", optional_value(run.pid)},
                      {"started_at_ms", run.started_at_ms},
                      {"ended_at_ms", optional_value(run.ended_at_ms)},
                      {"blocked_until_ms", optional_value(run.blocked_until_ms)},
                      {"exit_reason", run.exit_reason},
                      {"failure_kind", failure_kind(run)},
                      {"events", run.events}};
}

}  // namespace stork::ops
