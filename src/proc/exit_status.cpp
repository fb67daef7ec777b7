#include "proc/exit_status.hpp"

#include <cstring>

namespace stork::proc {
namespace {

std::string duration_text(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

std::string death_text(const ExitStatus& status) {
  if (status.term_signal != 0) return "killed by " + signal_name(status.term_signal);
  return "exit code " + std::to_string(status.exit_code);
}

}  // namespace

std::string signal_name(int signal_number) {
  const char* abbreviation = ::sigabbrev_np(signal_number);
  if (abbreviation == nullptr) return "signal " + std::to_string(signal_number);
  return std::string("SIG") + abbreviation;
}

std::string ExitStatus::describe() const {
  switch (reason) {
    case ExitReason::Exited:
    case ExitReason::Signaled:
      return death_text(*this);
    case ExitReason::Inactive:
      return "inactive: no output for " + duration_text(inactivity_timeout) + " (" +
             death_text(*this) + ")";
    case ExitReason::Stopped:
      return "stopped";
  }
  return "unknown";
}

}  // namespace stork::proc
