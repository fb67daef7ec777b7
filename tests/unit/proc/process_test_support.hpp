// Helpers for the ChildProcess tests: run one child on a private io_context until it ends, and
// look at what is left in /proc afterwards.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <sys/types.h>

#include "proc/child_process.hpp"
#include "support/eventually.hpp"

namespace stork::proc::testing {

using namespace std::chrono_literals;

// One child and everything its handlers saw. Not movable: the handlers point at it.
class ProcessRun {
 public:
  ProcessRun() = default;
  ProcessRun(const ProcessRun&) = delete;
  ProcessRun& operator=(const ProcessRun&) = delete;

  Result<std::shared_ptr<ChildProcess>, SpawnError> spawn(SpawnOptions options);
  // Runs the io_context until on_exit ran (true) or `limit` passed (false).
  bool wait_for_exit(std::chrono::milliseconds limit = 10s);
  // Runs the io_context until a line equal to `text` arrived.
  bool wait_for_line(const std::string& text, std::chrono::milliseconds limit = 10s);
  // Runs the io_context until at least `count` lines arrived.
  bool wait_for_lines(std::size_t count, std::chrono::milliseconds limit = 10s);

  boost::asio::io_context io;
  std::shared_ptr<ChildProcess> child;
  std::vector<std::string> lines;
  int batches = 0;
  bool lines_after_exit = false;
  int exit_calls = 0;
  std::optional<ExitStatus> status;

  // Runs the io_context until `done` is true (true) or `limit` passed (false).
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit);
};

SpawnOptions shell(const std::string& script, bool use_pty = false);

bool process_exists(pid_t pid);         // kill(pid, 0) does not fail with ESRCH
bool process_group_exists(pid_t pgid);  // kill(-pgid, 0) does not fail with ESRCH
std::vector<pid_t> zombie_children();
using stork::testing::eventually;

}  // namespace stork::proc::testing
