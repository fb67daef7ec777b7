#include "cli/cli_context.hpp"

namespace stork::cli {

void CliContext::fail(int code, const std::string& message) {
  err << "stork: " << message << "\n";
  exit_code = code;
}

void CliContext::warn(const std::string& message) {
  err << "stork: warning: " << message << "\n";
}

}  // namespace stork::cli
