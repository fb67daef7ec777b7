// FUZZ_CHECK: a fuzz target's invariant. A violation prints the file, line and condition and
// traps, so libFuzzer keeps the input that broke it as a crash artifact.
#pragma once

#include <cstdio>

namespace stork::fuzz {

[[noreturn]] inline void violated(const char* file, int line, const char* condition) {
  std::fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, condition);
  __builtin_trap();
}

}  // namespace stork::fuzz

#define FUZZ_CHECK(condition)                                                  \
  do {                                                                         \
    if (!(condition)) ::stork::fuzz::violated(__FILE__, __LINE__, #condition); \
  } while (false)
