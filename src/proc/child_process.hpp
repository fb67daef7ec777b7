// ChildProcess: one agent (or any long-running program) run asynchronously on Asio, its output
// delivered as batches of UTF-8 lines and its end reported exactly once.
//
// Why a supervisor process. stork must never leave an agent or anything the agent started
// running after stork is gone, even after `kill -9` of the server, which runs no cleanup code.
// So spawn() hands the agent to a small supervisor, the stork-supervise program (posix_spawn:
// the server is never forked, so its memory is not copied; usually one started ahead and
// waiting, see standby_supervisor.hpp), that starts the agent and watches two things:
//   - the agent: when it exits, the supervisor SIGKILLs the rest of its process group and,
//     being a child subreaper (PR_SET_CHILD_SUBREAPER), every other descendant (orphans, even
//     ones that called setsid, are reparented to it), reaps them all, then reports the
//     agent's wait status. Hence "no output writer is left" once the status arrives.
//   - the lifeline, a socket whose only other end the server holds (close-on-exec; every
//     supervisor closes all fds it does not need, so none keeps another's lifeline open): when
//     the kernel closes it because the server died, the supervisor kills and reaps everything.
// The same socket carries the handshake (agent pid, or why exec/chdir failed) and stop/kill
// requests, so the group is always signalled by the process that knows the agent is not yet
// reaped (its pgid cannot have been reused). The agent also has PR_SET_PDEATHSIG(SIGKILL) in
// case the supervisor itself is killed. The server prepares everything (argv, environment,
// PATH candidates, fds); between the agent's clone and exec only async-signal-safe calls run.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <sys/types.h>

#include "base/result.hpp"
#include "proc/exit_status.hpp"
#include "proc/spawn_options.hpp"

namespace stork::proc {

struct ProcessHandlers {
  // A batch of complete lines (all lines from one read). Called on the executor. The handler
  // may move the strings out.
  std::function<void(std::vector<std::string>& lines)> on_lines;
  // Exactly once, after the last on_lines (the trailing partial line is delivered first).
  std::function<void(const ExitStatus&)> on_exit;
};

// e.g. "cannot run 'claudex': No such file or directory (cwd /x)"
struct SpawnError {
  std::string message;
};

class ChildProcess : public std::enable_shared_from_this<ChildProcess> {
 public:
  // Starts the process; handlers and all internal state run on `executor`, which must be a
  // strand when the io_context has several threads. Fails synchronously if the program
  // cannot be executed (not found, not executable, bad cwd); blocks only until the agent has
  // exec'd. The returned object stays alive while the process runs even if the caller drops
  // it; destroying the io_context with it still running kills the whole tree.
  static Result<std::shared_ptr<ChildProcess>, SpawnError> spawn(
      const boost::asio::any_io_executor& executor, SpawnOptions options, ProcessHandlers handlers);

  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return agent_pid_; }          // the agent process; also its process group id
  bool running() const { return running_.load(); }  // false once the agent's exit is known
  // SIGTERM to the whole group, SIGKILL after stop_grace; reason Stopped. Any thread.
  void stop();
  // SIGKILL to the whole group now; reason Stopped. Any thread.
  void kill();
  // With SpawnOptions::stdin_stream: queues `data` for the agent's stdin, written in order.
  // False when there is no such stdin or close_stdin was called. Any thread. Bytes the agent
  // never reads because it exited are dropped (no SIGPIPE).
  bool write_stdin(std::string data);
  // Ends the agent's stdin once the queued writes are done (the agent reads EOF). Any thread.
  void close_stdin();
  // While held (calls nest), silence is not inactivity: the agent waits on a person (a
  // permission question), not on a hung model. Releasing restarts the silence count. Any thread.
  void hold_inactivity(bool held);

 private:
  class Impl;
  struct PrivateTag {};

 public:
  ChildProcess(PrivateTag, std::unique_ptr<Impl> impl, pid_t agent_pid);

 private:
  std::unique_ptr<Impl> impl_;
  pid_t agent_pid_;
  std::atomic<bool> running_{true};
  std::atomic<bool> stdin_open_{false};
};

}  // namespace stork::proc
