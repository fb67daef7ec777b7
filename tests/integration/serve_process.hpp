// The real `stork serve` in the background for integration tests: started with posix_spawn,
// stdout and stderr in files, its port read from the "listening on" line. The destructor
// SIGKILLs and reaps a server a test left running, so a failing test leaves nothing behind.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace stork::testing {

class ServeProcess {
 public:
  // Runs STORK_BINARY with `args` in `cwd`; `env` is added to this process's environment.
  // Output goes to `log_dir`/serve-N.{out,err}.
  ServeProcess(std::vector<std::string> args, const std::filesystem::path& cwd,
               const std::filesystem::path& log_dir,
               std::vector<std::pair<std::string, std::string>> env = {});
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  // Waits for "listening on http://HOST:PORT" on stdout; false if the process exited or the
  // time ran out first.
  bool wait_listening(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  unsigned short port() const { return port_; }

  void signal(int signal) const;
  // The exit code (128 + signal when killed by one), or nothing if still running at the end.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  std::string out() const;
  std::string err() const;
  // Both streams, for failure messages.
  std::string output() const { return "stdout:\n" + out() + "\nstderr:\n" + err(); }

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  unsigned short port_ = 0;
  std::filesystem::path out_file_;
  std::filesystem::path err_file_;
};

// Runs `stork` with `args` to completion (for commands that are expected to exit at once).
struct Finished {
  int exit_code = -1;
  std::string out;
  std::string err;
};
Finished run_stork(std::vector<std::string> args, const std::filesystem::path& cwd,
                   std::vector<std::pair<std::string, std::string>> env = {},
                   std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace stork::testing
