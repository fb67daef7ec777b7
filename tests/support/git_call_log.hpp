// GitCallLog: counts the git processes stork starts, for tests that pin down how many a step
// costs (bench/RESULTS.md "Pipeline": each one is milliseconds). While it lives, a `git` script
// first on PATH logs its arguments, one line per call, and runs the real git. Tests that use
// it must not run threads that start git meanwhile: PATH is the process's.
#pragma once

#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace stork::testing {

class GitCallLog {
 public:
  GitCallLog();
  ~GitCallLog();
  GitCallLog(const GitCallLog&) = delete;
  GitCallLog& operator=(const GitCallLog&) = delete;

  // Each call's arguments joined by spaces ("rev-parse HEAD --"), oldest first.
  std::vector<std::string> calls() const;
  // The calls whose arguments contain `part`.
  std::vector<std::string> calls_with(const std::string& part) const;
  void clear() const;

 private:
  TempDir dir_;
  std::string saved_path_;
};

}  // namespace stork::testing
