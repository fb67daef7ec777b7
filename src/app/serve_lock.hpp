// ServeLock: one server per project. `.storkit/serve.lock` is flock()ed for the server's
// whole life and names its pid and port, so a second `stork serve` on the same project refuses
// to start and says where the first one is, instead of driving the same state.db and
// rewriting .mcp.json under it (issue 15). The kernel drops the lock when the process ends,
// however it ends, so a crash never leaves a stale lock; the file itself stays (unlinking it
// would let a third server lock a new file while a second still holds the old one).
#pragma once

#include <filesystem>
#include <string>

#include "base/result.hpp"
#include "proc/unique_fd.hpp"

namespace stork::app {

class ServeLock {
 public:
  // Takes the lock, or fails with a message naming the server that holds it. Also makes sure
  // git ignores the file (.git/info/exclude when the project's .gitignore does not).
  static Result<ServeLock, std::string> acquire(const std::filesystem::path& project_root);

  // Records who holds the lock, once the port is known: "pid 1234\nport 3000\n".
  void record(int port) const;

 private:
  explicit ServeLock(proc::UniqueFd fd) : fd_(std::move(fd)) {}
  proc::UniqueFd fd_;
};

}  // namespace stork::app
