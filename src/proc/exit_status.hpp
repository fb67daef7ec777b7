// How a child process ended, as ChildProcess reports it once: by itself (exit code or signal)
// or because we ended it (inactivity timeout, stop()/kill()).
#pragma once

#include <chrono>
#include <string>

namespace stork::proc {

enum class ExitReason { Exited, Signaled, Inactive, Stopped };

struct ExitStatus {
  ExitReason reason = ExitReason::Exited;
  int exit_code = -1;   // when the process exited by itself (also after stop() if it did)
  int term_signal = 0;  // when it died of a signal (also for Inactive/Stopped)
  std::chrono::milliseconds inactivity_timeout{0};  // for describe() when reason is Inactive

  bool succeeded() const { return reason == ExitReason::Exited && exit_code == 0; }
  // "exit code 3", "killed by SIGSEGV", "inactive: no output for 30 s (killed by SIGKILL)",
  // "stopped".
  std::string describe() const;
};

// "SIGKILL" for 9; "signal 77" for a number without a name.
std::string signal_name(int signal_number);

}  // namespace stork::proc
