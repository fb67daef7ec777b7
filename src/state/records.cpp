#include "state/records.hpp"

#include <array>
#include <utility>

namespace stork::state {
namespace {

constexpr std::array<std::pair<RunState, std::string_view>, 7> kNames{{
    {RunState::Pending, "pending"},
    {RunState::Running, "running"},
    {RunState::Completed, "completed"},
    {RunState::Failed, "failed"},
    {RunState::Stopped, "stopped"},
    {RunState::Interrupted, "interrupted"},
    {RunState::Blocked, "blocked"},
}};

}  // namespace

std::string_view to_string(RunState state) {
  for (const auto& [value, name] : kNames)
    if (value == state) return name;
  return "unknown";
}

std::optional<RunState> parse_run_state(std::string_view text) {
  for (const auto& [value, name] : kNames)
    if (name == text) return value;
  return std::nullopt;
}

bool is_final(RunState state) {
  switch (state) {
    case RunState::Completed:
    case RunState::Failed:
    case RunState::Stopped:
    case RunState::Interrupted:
      return true;
    case RunState::Pending:
    case RunState::Running:
    case RunState::Blocked:
      return false;
  }
  return false;
}

}  // namespace stork::state
