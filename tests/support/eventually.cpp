#include "support/eventually.hpp"

#include <thread>

namespace stork::testing {

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  // Short enough not to slow a test down, long enough not to compete with what it waits for.
  constexpr auto poll = std::chrono::milliseconds(10);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(poll);
  }
  return condition();
}

}  // namespace stork::testing
