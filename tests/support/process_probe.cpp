#include "support/process_probe.hpp"

#include <cerrno>
#include <string>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace stork::testing {

bool process_gone(pid_t pid) {
  if (::kill(pid, 0) != 0) return errno == ESRCH;
  // Plain read(2): the process may vanish while we read, and then the read fails (ESRCH),
  // which also means gone (an ifstream would throw from underflow instead).
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return true;
  char buffer[512];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  ::close(fd);
  if (n <= 0) return true;
  const std::string text(buffer, static_cast<size_t>(n));
  // The state follows the command name in parentheses, which may itself contain ')'.
  auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'Z';
}

}  // namespace stork::testing
