// What to run and how: the input of ChildProcess::spawn. Plain data, no Asio.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stork::proc {

struct SpawnOptions {
  // argv[0] is searched in the child's PATH (after set_env/unset_env), unless it has a '/'.
  std::vector<std::string> argv;
  std::filesystem::path cwd;  // empty: inherit
  std::vector<std::pair<std::string, std::string>> set_env;
  std::vector<std::string> unset_env;  // CLAUDECODE is always unset as well
  // true: stdin/stdout/stderr are a new PTY (raw mode: no echo, no \n→\r\n), the child is a
  // session leader with it as controlling terminal. false: stdout+stderr share one pipe
  // (ordering kept), stdin below.
  bool use_pty = false;
  // Pipes only: written to stdin, then closed; nullopt: stdin is /dev/null. With use_pty: error.
  std::optional<std::string> stdin_data;
  // Pipes only, not with stdin_data: stdin is a socket the server keeps open for the run's
  // life; ChildProcess::write_stdin writes to it and close_stdin ends it (the agent reads EOF).
  // For agents that take input while they run (Claude Code's stream-json input).
  bool stdin_stream = false;
  std::chrono::milliseconds inactivity_timeout{0};  // 0: none. No output for this long → killed
  std::chrono::milliseconds stop_grace{3000};       // SIGTERM → SIGKILL delay for stop()
  std::size_t max_line_bytes = 1 << 20;
};

}  // namespace stork::proc
