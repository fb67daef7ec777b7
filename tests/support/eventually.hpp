// eventually: waits for a condition that another thread or process makes true, polling it until
// it holds or the time runs out. Tests wait on the signal they expect, never on a fixed sleep.
#pragma once

#include <chrono>
#include <functional>

namespace stork::testing {

// True as soon as `condition` returns true (checked once more at the deadline); false if it
// never did within `timeout`.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace stork::testing
