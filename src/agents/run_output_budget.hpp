// RunOutputBudget: how much of one run's output is stored, in its log file and as events, so
// an agent printing without end cannot fill the disk or the database. The head (half the
// budget) is stored as it comes; after it, only the newest lines and events are held, up to
// the other half, and stored when the run ends after a note of how many bytes and lines were
// dropped between. Events that carry facts the pool acts on (status, session, result, rate
// limit, error, done) always pass at once. Owned by the run's entry, on the pool's strand.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "agents/runtime/runtime.hpp"

namespace stork::agents {

class RunOutputBudget {
 public:
  explicit RunOutputBudget(std::uint64_t bytes) : half_(bytes / 2) {}

  // Leaves in `lines` and `events` what is to be stored now; holds or drops the rest.
  void admit(std::vector<std::string>& lines, std::vector<RuntimeEvent>& events);

  // At the end of the run: the drop note (when anything was dropped) and the held tail.
  struct Rest {
    std::vector<std::string> lines;
    std::vector<RuntimeEvent> events;
  };
  Rest finish();

  std::uint64_t dropped_bytes() const { return dropped_bytes_; }

 private:
  // True while the head has room for `size` more bytes (and takes them).
  bool in_head(std::uint64_t size);
  void trim();

  std::uint64_t half_;
  std::uint64_t head_bytes_ = 0;
  bool head_full_ = false;
  std::deque<std::string> held_lines_;
  std::deque<RuntimeEvent> held_events_;
  std::uint64_t held_line_bytes_ = 0;
  std::uint64_t held_event_bytes_ = 0;
  std::uint64_t dropped_bytes_ = 0;
  std::uint64_t dropped_lines_ = 0;
  std::uint64_t dropped_events_ = 0;
};

}  // namespace stork::agents
