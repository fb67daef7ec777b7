// Kill points: places in the pipeline where a fault test may have stork killed with SIGKILL, to
// prove that a restart recovers from a crash at exactly that step. Armed only by the
// environment variable STORK_TEST_KILL_AT=<name> (read once); unset, a kill point costs one
// branch. The names are listed in docs/pipeline.md ("Crash safety").
#pragma once

#include <string_view>

namespace stork::engine {

// SIGKILLs this process when STORK_TEST_KILL_AT equals `name`.
void kill_point(std::string_view name);

}  // namespace stork::engine
