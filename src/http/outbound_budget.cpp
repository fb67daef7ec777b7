#include "http/outbound_budget.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "http/response.hpp"

namespace stork::http {

bool OutboundBudget::reserve(std::size_t bytes, std::size_t held) {
  const std::size_t used = in_use_.load();
  if (used + bytes > limit_) {
    const std::size_t share = limit_ / std::max<std::size_t>(connections_.load(), 1);
    if (held + bytes > share) return false;
  }
  in_use_ += bytes;
  return true;
}

void OutboundBudget::release(std::size_t bytes) {
  in_use_ -= bytes;
}

bool OutboundBudget::admit() {
  std::size_t open = connections_.load();
  do {
    if (open >= max_connections_) return false;
  } while (!connections_.compare_exchange_weak(open, open + 1));
  return true;
}

void OutboundBudget::leave() {
  --connections_;
}

void hold_response_body(OutboundBudget& budget, Response& response, const std::string& remote,
                        std::optional<BudgetHold>& hold) {
  const std::size_t bytes = response.body.size();
  if (response.shared_body || bytes == 0) return;
  if (budget.reserve(bytes, 0)) {
    hold.emplace(&budget, bytes);
    return;
  }
  spdlog::warn(
      "http: answered {} 503 instead of a {}-byte response: over its share of the outbound "
      "budget ({} of {} bytes in use, {} connections)",
      remote, bytes, budget.in_use(), budget.limit(), budget.connections());
  response = Response::error(503, "server_busy",
                             "the server is holding too much unsent data for slow clients; try "
                             "again in a moment");
  response.headers.emplace_back("Retry-After", "1");
}

}  // namespace stork::http
