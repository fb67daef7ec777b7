// The stork-supervise program's work (supervisor_main.cpp parses its command line). Between
// the agent's clone and its execve only async-signal-safe calls run, and every exit is _exit.
#include "proc/supervisor.hpp"

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc/supervisor_protocol.hpp"

namespace stork::proc {
namespace {

// Written by the agent to the supervisor when it cannot exec (the classic close-on-exec error
// pipe: EOF means execve succeeded).
struct LaunchFailure {
  LaunchStage stage;
  int error;
};

// What the agent's execve needs, as C arrays pointing into the SupervisorArguments.
struct AgentExec {
  bool use_pty;
  const char* cwd;  // "": inherit
  std::vector<const char*> candidates;
  std::vector<char*> argv;  // null-terminated
  char** envp;
};

void send_report(int control, ReportKind kind, int value, int error) {
  const SupervisorReport report{kind, value, error};
  // MSG_NOSIGNAL: when the server is gone this fails with EPIPE instead of killing us.
  while (::send(control, &report, sizeof report, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

void set_all_signals_to_default() {
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (int signal_number = 1; signal_number < NSIG; ++signal_number) {
    if (signal_number != SIGKILL && signal_number != SIGSTOP)
      ::sigaction(signal_number, &action, nullptr);  // fails harmlessly for libc's reserved ones
  }
}

void ignore_signal(int signal_number) {
  struct sigaction action {};
  action.sa_handler = SIG_IGN;
  sigemptyset(&action.sa_mask);
  ::sigaction(signal_number, &action, nullptr);
}

void close_range_or_loop(unsigned first, unsigned last) {
  if (first > last) return;
  if (::close_range(first, last, 0) == 0) return;
  // Kernels before 5.9: close one by one up to the descriptor limit.
  struct rlimit limit {};
  unsigned top = 65536;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    top = static_cast<unsigned>(limit.rlim_cur);
  for (unsigned fd = first; fd <= last && fd < top; ++fd)
    ::close(static_cast<int>(fd));
}

// Closes every descriptor from 3 up except those in keep[0..count) (-1 entries are skipped).
// This is what stops one supervisor from holding another's lifeline (or output) open.
void close_all_except(int* keep, int count) {
  for (int i = 1; i < count; ++i) {  // insertion sort: tiny array, no library calls
    for (int j = i; j > 0 && keep[j - 1] > keep[j]; --j) {
      const int swapped = keep[j];
      keep[j] = keep[j - 1];
      keep[j - 1] = swapped;
    }
  }
  unsigned next = 3;
  for (int i = 0; i < count; ++i) {
    if (keep[i] < 3) continue;
    const auto fd = static_cast<unsigned>(keep[i]);
    if (fd > next) close_range_or_loop(next, fd - 1);
    next = fd + 1;
  }
  close_range_or_loop(next, ~0U);
}

// Moves a descriptor that sits on 0..2 elsewhere, so that dup2 onto stdio cannot clobber it.
int lift_above_stdio(int fd) {
  if (fd < 0 || fd > 2) return fd;
  return ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

[[noreturn]] void agent_failed(int error_pipe, LaunchStage stage) {
  const LaunchFailure failure{stage, errno};
  while (::write(error_pipe, &failure, sizeof failure) < 0 && errno == EINTR) {
  }
  ::_exit(127);
}

// The agent, between its clone and execve (in our memory: see clone_agent).
[[noreturn]] void run_agent(const AgentExec& plan, const SupervisorFds& fds, int error_pipe,
                            pid_t supervisor) {
  // Its own session, hence its own process group (pgid = pid) that stop/kill address.
  if (::setsid() < 0) agent_failed(error_pipe, LaunchStage::Setsid);
  int stdin_fd = fds.agent_stdin >= 0 ? fds.agent_stdin : fds.dev_null;
  if (plan.use_pty) {
    if (::ioctl(fds.agent_output, TIOCSCTTY, 0) < 0)
      agent_failed(error_pipe, LaunchStage::ControllingTerminal);
    stdin_fd = fds.agent_output;
  }
  if (::dup2(stdin_fd, STDIN_FILENO) < 0 || ::dup2(fds.agent_output, STDOUT_FILENO) < 0 ||
      ::dup2(fds.agent_output, STDERR_FILENO) < 0)
    agent_failed(error_pipe, LaunchStage::Redirect);
  // If the supervisor is killed outright, the agent must not outlive it.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != supervisor) ::_exit(127);
  if (plan.cwd[0] != '\0' && ::chdir(plan.cwd) < 0) agent_failed(error_pipe, LaunchStage::Chdir);
  int keep[] = {error_pipe};
  close_all_except(keep, 1);
  set_all_signals_to_default();  // SIG_IGN would survive execve
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  // Like execvp: "not found" errors move on to the next PATH entry; any other error (EACCES,
  // ENOEXEC, ...) is the one worth reporting.
  int reported = ENOENT;
  for (const char* candidate : plan.candidates) {
    ::execve(candidate, plan.argv.data(), plan.envp);
    if (errno != ENOENT && errno != ENOTDIR && reported == ENOENT) reported = errno;
  }
  errno = reported;
  agent_failed(error_pipe, LaunchStage::Exec);
}

// SIGKILLs every direct child listed in /proc/thread-self/children. False when the list cannot
// be read (no /proc).
bool kill_listed_children() {
  const int fd = ::open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buffer[512];
  pid_t pid = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      if (buffer[i] >= '0' && buffer[i] <= '9') {
        pid = pid * 10 + (buffer[i] - '0');
      } else {
        if (pid > 0) ::kill(pid, SIGKILL);
        pid = 0;
      }
    }
  }
  if (pid > 0) ::kill(pid, SIGKILL);
  ::close(fd);
  return true;
}

// Kills and reaps every descendant. As a subreaper we inherit each orphan before its parent
// can be reaped, so once waitpid reports no children at all, no descendant is left.
void kill_and_reap_descendants(pid_t agent, int& agent_status) {
  bool agent_reaped = false;
  for (;;) {
    if (!kill_listed_children()) break;
    int status = 0;
    const pid_t reaped = ::waitpid(-1, &status, __WALL);
    if (reaped == agent) {
      agent_status = status;
      agent_reaped = true;
    }
    if (reaped < 0 && errno != EINTR) return;  // ECHILD: nothing left
  }
  // Without /proc only the agent's group could be signalled: wait for the agent (it has had
  // SIGKILL) and reap whatever else has died.
  while (!agent_reaped && ::waitpid(agent, &agent_status, __WALL) < 0 && errno == EINTR) {
  }
  while (::waitpid(-1, nullptr, __WALL | WNOHANG) > 0) {
  }
}

void signal_agent_group(pid_t agent, int signal_number) {
  // Only called while the agent is unreaped, so its pid (= pgid) is still ours.
  if (::kill(-agent, signal_number) < 0) ::kill(agent, signal_number);
}

// The end, whichever way it comes: SIGKILL the group while the agent (even as a zombie) still
// pins its id, kill and reap everything, report, exit.
[[noreturn]] void end_everything(pid_t agent, int control) {
  signal_agent_group(agent, SIGKILL);
  int agent_status = 0;
  kill_and_reap_descendants(agent, agent_status);
  send_report(control, ReportKind::AgentExited, agent_status, 0);
  ::_exit(0);
}

// True when the agent has exited (it stays a zombie until end_everything reaps it). Orphans
// that die meanwhile are reaped here, so they do not pile up as zombies.
bool agent_has_exited(pid_t agent) {
  for (;;) {
    siginfo_t info{};
    if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT | __WALL) < 0) return false;
    if (info.si_pid == 0) return false;
    if (info.si_pid == agent) return true;
    ::waitpid(info.si_pid, nullptr, __WALL);
  }
}

// Waits for the agent to exit, the server to go away (lifeline EOF) or SIGTERM; obeys stop and
// kill requests meanwhile.
[[noreturn]] void supervise(pid_t agent, int control, int signals) {
  for (;;) {
    pollfd watched[2] = {{control, POLLIN, 0}, {signals, POLLIN, 0}};
    if (::poll(watched, 2, -1) < 0) {
      if (errno == EINTR) continue;
      end_everything(agent, control);
    }
    if (watched[0].revents != 0) {
      char command = 0;
      const ssize_t n = ::recv(control, &command, 1, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        end_everything(agent, control);  // the server is gone
      }
      if (n == 1 && command == kTerminateGroup) signal_agent_group(agent, SIGTERM);
      if (n == 1 && command == kKillGroup) signal_agent_group(agent, SIGKILL);
    }
    if (watched[1].revents != 0) {
      signalfd_siginfo info{};
      bool terminate = false;
      while (::read(signals, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        if (info.ssi_signo == SIGTERM) terminate = true;
      }
      if (terminate) end_everything(agent, control);
    }
    if (agent_has_exited(agent)) end_everything(agent, control);
  }
}

}  // namespace

// The server's handlers and mask mean nothing here. Signals from the server's terminal
// (Ctrl-C, hang-up) are ignored: the server's own exit reaches us through the lifeline, and a
// graceful server shutdown must be able to stop agents with a grace period. Our stdio may be
// the server's terminal or a pipe someone waits on to close: it becomes /dev/null.
void detach_from_server(SupervisorFds& fds) {
  sigset_t all;
  sigfillset(&all);
  ::sigprocmask(SIG_SETMASK, &all, nullptr);
  set_all_signals_to_default();
  for (int terminal_signal : {SIGINT, SIGQUIT, SIGHUP, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU})
    ignore_signal(terminal_signal);
  ::prctl(PR_SET_NAME, "stork-supervise");

  fds.control = lift_above_stdio(fds.control);
  fds.dev_null = lift_above_stdio(fds.dev_null);
  fds.agent_output = lift_above_stdio(fds.agent_output);
  fds.agent_stdin = lift_above_stdio(fds.agent_stdin);
  int keep[] = {fds.control, fds.dev_null, fds.agent_output, fds.agent_stdin};
  close_all_except(keep, 4);
  for (int stdio = 0; stdio <= 2; ++stdio)
    ::dup2(fds.dev_null, stdio);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
}

namespace {

// What the agent's side of the clone needs (it gets one pointer).
struct AgentStart {
  const AgentExec* plan;
  const SupervisorFds* fds;
  int error_pipe[2];
  pid_t supervisor;
};

int agent_main(void* argument) {
  const auto& start = *static_cast<const AgentStart*>(argument);
  ::close(start.error_pipe[0]);
  run_agent(*start.plan, *start.fds, start.error_pipe[1], start.supervisor);
}

// The agent's stack while it shares our memory: its own, or it would write over our frames.
constexpr std::size_t kAgentStackBytes = std::size_t{256} << 10;

// Starts the agent the way posix_spawn does: a clone that shares our memory (no copy of our page
// tables, no copy-on-write faults) and suspends us until it has exec'd or exited, on a stack of
// its own. On this project's 2-core machine that reached the exec in 0.5 ms, a fork in 1.2 ms
// (bench/proc/fork_or_clone.c; bench/RESULTS.md, "The supervisor on standby"). Our signal handlers
// are all SIG_DFL or SIG_IGN by now, so none can run in the child on our memory; it gets its own
// handler table (no CLONE_SIGHAND) and descriptor table (no CLONE_FILES).
pid_t clone_agent(AgentStart& start) {
  void* stack = ::mmap(nullptr, kAgentStackBytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return -1;
  const pid_t agent = ::clone(agent_main, static_cast<char*>(stack) + kAgentStackBytes,
                              CLONE_VM | CLONE_VFORK | SIGCHLD, &start);
  const int clone_error = errno;
  ::munmap(stack, kAgentStackBytes);  // the agent has exec'd or exited: it is ours again
  errno = clone_error;
  return agent;
}

// Starts the agent and learns whether it exec'd: the agent's pid, or (reported to the server)
// never.
pid_t launch_agent(const AgentExec& plan, const SupervisorFds& fds, int error_pipe[2]) {
  AgentStart start{&plan, &fds, {error_pipe[0], error_pipe[1]}, ::getpid()};
  const pid_t agent = clone_agent(start);
  if (agent < 0) {
    report_launch_failure(fds.control, LaunchStage::Fork, errno);
    ::_exit(1);
  }
  // Only the agent may hold its side, or output EOF would never come.
  ::close(error_pipe[1]);
  ::close(fds.agent_output);
  if (fds.agent_stdin >= 0) ::close(fds.agent_stdin);

  LaunchFailure failure{};
  ssize_t n;
  while ((n = ::read(error_pipe[0], &failure, sizeof failure)) < 0 && errno == EINTR) {
  }
  ::close(error_pipe[0]);
  if (n == static_cast<ssize_t>(sizeof failure)) {
    ::waitpid(agent, nullptr, 0);
    report_launch_failure(fds.control, failure.stage, failure.error);
    ::_exit(0);
  }
  send_report(fds.control, ReportKind::AgentStarted, agent, 0);
  return agent;
}

}  // namespace

void report_launch_failure(int control, LaunchStage stage, int error) {
  send_report(control, ReportKind::LaunchFailed, static_cast<int>(stage), error);
}

[[noreturn]] void run_supervisor(const SupervisorArguments& arguments, char** envp,
                                 SupervisorFds fds) {
  detach_from_server(fds);
  supervise_agent(arguments, envp, fds);
}

[[noreturn]] void supervise_agent(const SupervisorArguments& arguments, char** envp,
                                  const SupervisorFds& fds) {
  // Ready-made before the agent's clone: it may only make async-signal-safe calls.
  AgentExec plan{arguments.use_pty, arguments.cwd.c_str(), {}, {}, envp};
  for (const auto& candidate : arguments.candidates)
    plan.candidates.push_back(candidate.c_str());
  for (const auto& argument : arguments.argv)
    plan.argv.push_back(const_cast<char*>(argument.c_str()));  // execve's type; never written
  plan.argv.push_back(nullptr);
  sigset_t watched;
  sigemptyset(&watched);
  sigaddset(&watched, SIGCHLD);
  sigaddset(&watched, SIGTERM);
  const int signals = ::signalfd(-1, &watched, SFD_CLOEXEC | SFD_NONBLOCK);
  int error_pipe[2] = {-1, -1};
  if (signals < 0 || ::pipe2(error_pipe, O_CLOEXEC) < 0) {
    report_launch_failure(fds.control, LaunchStage::SupervisorSetup, errno);
    ::_exit(1);
  }
  ::sigprocmask(SIG_SETMASK, &watched, nullptr);  // SIGCHLD/SIGTERM only through the signalfd

  const pid_t agent = launch_agent(plan, fds, error_pipe);
  supervise(agent, fds.control, signals);
}

}  // namespace stork::proc
