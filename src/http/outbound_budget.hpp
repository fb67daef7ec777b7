// OutboundBudget: the memory all clients' outbound data may hold together (WebSocket send
// queues and messages being written, HTTP response bodies being written), and the count of
// open connections (for [server] max_connections and each client's fair share). One per
// server, shared with the TLS server's local listener, so the budget is global.
//
// The rule (reserve): a client may always take memory while the total stays under the limit;
// past it, only a client still under its fair share (limit / open connections) may, so the
// clients that do not read are the ones refused (and dropped), while a client that keeps up,
// holding next to nothing, goes on receiving. The check and the add are two atomic steps, not
// one: concurrent reservations may overshoot the limit by a message each, which is bounded.
// Thread-safe. Docs: docs/serve.md ("Slow clients").
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>

namespace stork::http {

class OutboundBudget {
 public:
  OutboundBudget(std::size_t limit_bytes, std::size_t max_connections)
      : limit_(limit_bytes), max_connections_(max_connections) {}

  // `bytes` more for a client that holds `held` already; false: refused (see above).
  bool reserve(std::size_t bytes, std::size_t held);
  void release(std::size_t bytes);

  // A new connection: false (and not counted) when max_connections are open already.
  bool admit();
  void leave();

  std::size_t in_use() const { return in_use_.load(); }
  std::size_t connections() const { return connections_.load(); }
  std::size_t limit() const { return limit_; }
  std::size_t max_connections() const { return max_connections_; }

 private:
  const std::size_t limit_;
  const std::size_t max_connections_;
  std::atomic<std::size_t> in_use_{0};
  std::atomic<std::size_t> connections_{0};
};

// Bytes held in the budget for as long as it lives (an HTTP response being written).
class BudgetHold {
 public:
  BudgetHold() = default;
  BudgetHold(OutboundBudget* budget, std::size_t bytes) : budget_(budget), bytes_(bytes) {}
  ~BudgetHold() {
    if (budget_ != nullptr) budget_->release(bytes_);
  }
  BudgetHold(const BudgetHold&) = delete;
  BudgetHold& operator=(const BudgetHold&) = delete;

 private:
  OutboundBudget* budget_ = nullptr;
  std::size_t bytes_ = 0;
};

struct Response;

// For a response about to be written: its body's bytes held in `hold`, or, when the budget
// refuses them, the response replaced by a 503 (logged, naming `remote`). A body kept by the
// app (shared_body) costs nothing per client and is not counted.
void hold_response_body(OutboundBudget& budget, Response& response, const std::string& remote,
                        std::optional<BudgetHold>& hold);

}  // namespace stork::http
