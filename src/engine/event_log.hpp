// EventLog: the pipeline's events. Each is stored in the journal with a global sequence
// number, then handed to the listeners. Owned by PipelineContext and used on the pipeline's
// strand only (version() excepted); it never waits for a listener, so listeners must not block.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "engine/pipeline.hpp"

namespace stork::state {
class Journal;
}

namespace stork::engine {

// Milliseconds since the epoch: the time of events and journal steps.
std::int64_t now_ms();

class EventLog {
 public:
  explicit EventLog(state::Journal& journal) : journal_(journal) {}

  void emit(const std::string& story, std::string type, boost::json::object payload = {});
  std::vector<PipelineEvent> after(std::int64_t seq, std::size_t limit);
  std::uint64_t subscribe(PipelineListener listener);
  void unsubscribe(std::uint64_t id);

  // Pipeline::work_version(): bumped by every event and by touch() (a change on disk that no
  // event announces, such as a hand edit). Any thread.
  std::uint64_t version() const { return version_.load(); }
  void touch() { ++version_; }

 private:
  state::Journal& journal_;
  std::map<std::uint64_t, PipelineListener> listeners_;
  std::uint64_t next_listener_ = 1;
  std::atomic<std::uint64_t> version_{0};
};

}  // namespace stork::engine
