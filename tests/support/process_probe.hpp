// Is a process still running? For tests that check that stork leaves nothing behind.
#pragma once

#include <sys/types.h>

namespace stork::testing {

// Gone means not running: no such process, or a zombie nobody has reaped yet (a process
// reparented to an init that does not reap still shows up in /proc).
bool process_gone(pid_t pid);

}  // namespace stork::testing
