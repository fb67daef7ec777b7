#include "agents/api/run_reporter.hpp"

#include <boost/asio/post.hpp>

#include "agents/agent_event.hpp"
#include "agents/runtime/event_building.hpp"

namespace stork::agents::api {
namespace {

constexpr std::size_t kTextFlushBytes = 2000;

std::string trim_right(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

}  // namespace

void RunReporter::started() {
  if (abandoned_) return;
  boost::asio::post(executor_, [observer = observer_] { observer->on_started(std::nullopt); });
}

void RunReporter::emit(RuntimeEvent event) {
  std::vector<RuntimeEvent> events;
  events.push_back(std::move(event));
  emit_all(std::move(events));
}

void RunReporter::emit_all(std::vector<RuntimeEvent> events) {
  if (abandoned_ || events.empty()) return;
  // The run's log file gets one line per event, as a process run's log gets the agent's lines.
  std::vector<std::string> lines;
  lines.reserve(events.size());
  for (const auto& event : events)
    lines.push_back("{\"type\":\"" + event.type + "\",\"payload\":" + event.payload + "}");
  boost::asio::post(executor_,
                    [observer = observer_, lines = std::move(lines),
                     events = std::move(events)]() mutable { observer->on_output(lines, events); });
}

void RunReporter::note(std::string text) {
  emit(make_event(event_type::kOutput, {{"text", std::move(text)}}));
}

void RunReporter::emit_live(LiveText& live, bool all) {
  emit_text(live.thinking, all, event_type::kThinking);
  emit_text(live.text, all, event_type::kAssistantText);
}

void RunReporter::emit_text(std::string& pending, bool all, const char* type) {
  // Text goes out a line at a time (or in pieces of kTextFlushBytes), not one event per token.
  std::size_t cut = all ? pending.size() : pending.rfind('\n');
  if (!all && cut == std::string::npos) {
    if (pending.size() < kTextFlushBytes) return;
    cut = pending.size();
  } else if (!all) {
    cut += 1;
  }
  std::string text = trim_right(pending.substr(0, cut));
  pending.erase(0, cut);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return;
  emit(make_event(type, {{"text", std::move(text)}}));
}

void RunReporter::exit(RunExit exit) {
  if (abandoned_) return;
  boost::asio::post(executor_,
                    [observer = observer_, exit = std::move(exit)] { observer->on_exit(exit); });
}

}  // namespace stork::agents::api
