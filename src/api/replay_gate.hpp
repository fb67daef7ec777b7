// ReplayGate: the order of one WebSocket subscription's events. A subscription with after_seq
// first replays what the client missed; live events that arrive meanwhile are held, and when
// the replay ends only those it did not cover are let through. From then on an event at or
// below the last seq let through is dropped. So every seq reaches the client once, in order,
// with no gap between the replayed and the live part. Pure; EventHub uses it on its strand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stork::api {

class ReplayGate {
 public:
  // With `after_seq` the gate starts replaying; without, it lets live events through at once.
  explicit ReplayGate(std::optional<std::int64_t> after_seq)
      : replaying_(after_seq.has_value()), last_seq_(after_seq) {}

  bool replaying() const { return replaying_; }
  // The highest seq let through (after_seq before anything was).
  std::optional<std::int64_t> last_seq() const { return last_seq_; }

  // An event the replay read, in seq order: true when it is to be sent.
  bool pass_replayed(std::int64_t seq) { return advance(seq); }

  // A live event: true when it is to be sent now; while replaying it is held instead.
  bool pass_live(std::int64_t seq, const std::string& message) {
    if (replaying_) {
      held_.emplace_back(seq, message);
      return false;
    }
    return advance(seq);
  }

  // Ends the replay; returns the held messages to send, in order, without those it covered.
  std::vector<std::string> finish_replay() {
    replaying_ = false;
    std::vector<std::string> release;
    for (auto& [seq, message] : held_) {
      if (advance(seq)) release.push_back(std::move(message));
    }
    held_.clear();
    return release;
  }

 private:
  bool advance(std::int64_t seq) {
    if (last_seq_ && seq <= *last_seq_) return false;
    last_seq_ = seq;
    return true;
  }

  bool replaying_;
  std::optional<std::int64_t> last_seq_;
  std::vector<std::pair<std::int64_t, std::string>> held_;
};

}  // namespace stork::api
