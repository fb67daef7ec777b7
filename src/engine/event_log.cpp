#include "engine/event_log.hpp"

#include <chrono>

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "state/journal.hpp"

namespace stork::engine {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void EventLog::emit(const std::string& story, std::string type, boost::json::object payload) {
  state::PipelineEventRecord record{0, now_ms(), story, std::move(type),
                                    boost::json::serialize(payload)};
  auto stored = journal_.append_event(record);
  if (!stored.ok()) {
    spdlog::error("pipeline journal: cannot record event {} of {}: {}", record.type, story,
                  stored.error().message);
  } else {
    record = std::move(stored.value());
  }
  spdlog::info("pipeline: {} {} {}", story, record.type, record.payload);
  ++version_;
  PipelineEvent event{record.seq, record.time_ms, record.story, record.type, record.payload};
  for (const auto& [id, listener] : listeners_)
    listener(event);
}

std::vector<PipelineEvent> EventLog::after(std::int64_t seq, std::size_t limit) {
  std::vector<PipelineEvent> events;
  auto stored = journal_.events_after(seq, limit);
  if (!stored.ok()) {
    spdlog::error("pipeline journal: {}", stored.error().message);
    return events;
  }
  for (auto& record : stored.value()) {
    events.push_back(PipelineEvent{record.seq, record.time_ms, std::move(record.story),
                                   std::move(record.type), std::move(record.payload)});
  }
  return events;
}

std::uint64_t EventLog::subscribe(PipelineListener listener) {
  auto id = next_listener_++;
  listeners_.emplace(id, std::move(listener));
  return id;
}

void EventLog::unsubscribe(std::uint64_t id) {
  listeners_.erase(id);
}

}  // namespace stork::engine
