#include "agents/run_output_budget.hpp"

#include <algorithm>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "agents/agent_event.hpp"

namespace stork::agents {
namespace {

// Output the budget applies to; every other type carries a fact and always passes.
bool is_output(const RuntimeEvent& event) {
  static constexpr std::string_view kOutputs[] = {
      event_type::kOutput,  event_type::kAssistantText, event_type::kThinking,
      event_type::kToolUse, event_type::kToolResult,    event_type::kRaw};
  return std::find(std::begin(kOutputs), std::end(kOutputs), event.type) != std::end(kOutputs);
}

}  // namespace

bool RunOutputBudget::in_head(std::uint64_t size) {
  if (head_full_ || head_bytes_ + size > half_) {
    head_full_ = true;
    return false;
  }
  head_bytes_ += size;
  return true;
}

void RunOutputBudget::trim() {
  while (held_line_bytes_ > half_ && !held_lines_.empty()) {
    held_line_bytes_ -= held_lines_.front().size() + 1;
    dropped_bytes_ += held_lines_.front().size() + 1;
    ++dropped_lines_;
    held_lines_.pop_front();
  }
  while (held_event_bytes_ > half_ && !held_events_.empty()) {
    held_event_bytes_ -= held_events_.front().payload.size();
    ++dropped_events_;
    held_events_.pop_front();
  }
}

void RunOutputBudget::admit(std::vector<std::string>& lines, std::vector<RuntimeEvent>& events) {
  if (!head_full_) {  // the usual case: all of it fits in the head and passes as it is
    std::uint64_t size = 0;
    for (const auto& line : lines)
      size += line.size() + 1;
    if (head_bytes_ + size <= half_) {
      head_bytes_ += size;
      return;
    }
  }
  std::vector<std::string> now;
  for (auto& line : lines) {
    if (in_head(line.size() + 1)) {
      now.push_back(std::move(line));
    } else {
      held_line_bytes_ += line.size() + 1;
      held_lines_.push_back(std::move(line));
    }
  }
  lines = std::move(now);
  std::vector<RuntimeEvent> passing;
  for (auto& event : events) {
    if (!is_output(event) || !head_full_) {
      passing.push_back(std::move(event));
    } else {
      held_event_bytes_ += event.payload.size();
      held_events_.push_back(std::move(event));
    }
  }
  events = std::move(passing);
  trim();
}

RunOutputBudget::Rest RunOutputBudget::finish() {
  Rest rest;
  if (dropped_lines_ > 0 || dropped_events_ > 0) {
    const std::string note =
        "[... " + std::to_string(dropped_bytes_) + " bytes / " + std::to_string(dropped_lines_) +
        " lines (" + std::to_string(dropped_events_) + " events) of output dropped: a run keeps " +
        std::to_string(half_ * 2) + " bytes, [limits] run_output_bytes ...]";
    rest.lines.push_back(note);
    RuntimeEvent event;
    event.type = event_type::kOutput;
    event.payload = boost::json::serialize(boost::json::object{{"text", note}});
    rest.events.push_back(std::move(event));
  }
  rest.lines.insert(rest.lines.end(), std::make_move_iterator(held_lines_.begin()),
                    std::make_move_iterator(held_lines_.end()));
  rest.events.insert(rest.events.end(), std::make_move_iterator(held_events_.begin()),
                     std::make_move_iterator(held_events_.end()));
  held_lines_.clear();
  held_events_.clear();
  held_line_bytes_ = held_event_bytes_ = 0;
  return rest;
}

}  // namespace stork::agents
