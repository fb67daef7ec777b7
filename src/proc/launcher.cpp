#include "proc/launcher.hpp"

#include <cerrno>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "base/subprocess.hpp"
#include "proc/launch_plan.hpp"
#include "proc/memory_file.hpp"
#include "proc/standby_supervisor.hpp"
#include "proc/supervisor_arguments.hpp"
#include "proc/supervisor_protocol.hpp"
#include "proc/supervisor_spawn.hpp"

namespace stork::proc {
namespace {

// A window wide enough that CLIs which format for the terminal do not wrap their output.
constexpr unsigned short kPtyRows = 50;
constexpr unsigned short kPtyColumns = 200;

std::string error_text(int error) {
  return std::generic_category().message(error);
}

// All descriptors are close-on-exec from birth: other threads of the server may fork and exec
// at any moment, and must not inherit (and so keep open) an agent's output or lifeline.
struct Descriptors {
  UniqueFd control;       // server's end of the lifeline
  UniqueFd output;        // PTY master / pipe read end, read by the server
  UniqueFd agent_output;  // PTY slave / pipe write end
  UniqueFd agent_stdin;   // stdin_data in a memfd, or the agent's end of the stdin socket
  UniqueFd stdin_writer;  // with stdin_stream: the server's end of the stdin socket
};

// Raw mode: bytes arrive exactly as written (no echo, no \n → \r\n, no line discipline).
Result<void, std::string> open_pty(UniqueFd& master, UniqueFd& slave) {
  master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!master.valid()) return fail("posix_openpt: " + error_text(errno));
  if (::unlockpt(master.get()) < 0) return fail("unlockpt: " + error_text(errno));
  slave.reset(::ioctl(master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!slave.valid()) return fail("opening the PTY slave: " + error_text(errno));
  termios attributes{};
  if (::tcgetattr(slave.get(), &attributes) < 0) return fail("tcgetattr: " + error_text(errno));
  ::cfmakeraw(&attributes);
  if (::tcsetattr(slave.get(), TCSANOW, &attributes) < 0)
    return fail("tcsetattr: " + error_text(errno));
  const winsize size{kPtyRows, kPtyColumns, 0, 0};
  if (::ioctl(slave.get(), TIOCSWINSZ, &size) < 0) return fail("TIOCSWINSZ: " + error_text(errno));
  return {};
}

Result<void, std::string> open_pipe(UniqueFd& read_end, UniqueFd& write_end) {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) < 0) return fail("pipe: " + error_text(errno));
  read_end.reset(ends[0]);
  write_end.reset(ends[1]);
  return {};
}

// The agent's side of its output and stdin (the lifeline is the supervisor's business).
Result<void, std::string> open_descriptors(const SpawnOptions& options, Descriptors& fds) {
  auto output = options.use_pty ? open_pty(fds.output, fds.agent_output)
                                : open_pipe(fds.output, fds.agent_output);
  if (!output.ok()) return output;
  if (options.stdin_data) {
    // The agent reads it at its own pace and then EOF; nobody feeds a pipe while it runs.
    auto file = memory_file("stork-agent-stdin", *options.stdin_data);
    if (!file.ok()) return fail(std::move(file).take_error());
    fds.agent_stdin = std::move(file.value());
    return {};
  }
  // A socket rather than a pipe: the server's writes then use MSG_NOSIGNAL, so an agent that
  // exits early gives EPIPE instead of SIGPIPE, in any program that embeds the pool.
  if (options.stdin_stream) {
    int ends[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) < 0)
      return fail("socketpair: " + error_text(errno));
    fds.agent_stdin.reset(ends[0]);
    fds.stdin_writer.reset(ends[1]);
  }
  return {};
}

std::string directory_text(const LaunchPlan& plan) {
  if (!plan.supervisor.cwd.empty()) return plan.supervisor.cwd;
  std::error_code ignored;
  return std::filesystem::current_path(ignored).string();
}

std::string failure_message(const LaunchPlan& plan, LaunchStage stage, int error) {
  const std::string prefix = "cannot run '" + plan.program + "': ";
  switch (stage) {
    case LaunchStage::Exec:
      return prefix + error_text(error) + " (cwd " + directory_text(plan) + ")";
    case LaunchStage::Chdir:
      return prefix + "cannot enter directory '" + plan.supervisor.cwd + "': " + error_text(error);
    case LaunchStage::SupervisorSetup:
      return prefix + "supervisor setup failed: " + error_text(error);
    case LaunchStage::Fork:
      return prefix + "cannot start the process: " + error_text(error);
    case LaunchStage::Setsid:
      return prefix + "setsid failed: " + error_text(error);
    case LaunchStage::ControllingTerminal:
      return prefix + "cannot make the PTY its controlling terminal: " + error_text(error);
    case LaunchStage::Redirect:
      return prefix + "cannot redirect stdio: " + error_text(error);
  }
  return prefix + error_text(error);
}

void reap(pid_t pid) {
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

bool read_report(int control, SupervisorReport& report) {
  ssize_t n;
  while ((n = ::recv(control, &report, sizeof report, 0)) < 0 && errno == EINTR) {
  }
  return n == static_cast<ssize_t>(sizeof report);
}

// Starts a stork-supervise program of this launch's own, with its descriptors at their fixed
// numbers (supervisor_protocol.hpp) and the plan on its command line.
Result<pid_t, std::string> spawn_supervisor(LaunchPlan& plan, Descriptors& fds) {
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) < 0)
    return fail("socketpair: " + error_text(errno));
  fds.control.reset(ends[0]);
  const UniqueFd supervisor_control(ends[1]);
  const UniqueFd dev_null(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!dev_null.valid()) return fail("/dev/null: " + error_text(errno));
  const GivenFd given[] = {{supervisor_control.get(), kControlFd},
                           {dev_null.get(), kDevNullFd},
                           {fds.agent_output.get(), kAgentOutputFd},
                           {fds.agent_stdin.get(), kAgentStdinFd}};
  auto envp = c_strings(plan.environment);
  return spawn_supervisor_program(encode_supervisor_arguments(plan.supervisor), envp.data(), given);
}

// The waiting standby when there is one (standby_supervisor.hpp), else a program of its own.
Result<pid_t, std::string> start_supervisor(LaunchPlan& plan, Descriptors& fds) {
  if (auto standby = take_standby_supervisor()) {
    if (hand_plan_to_standby(*standby, plan, fds.agent_output.get(), fds.agent_stdin.get())) {
      fds.control = std::move(standby->control);
      return standby->pid;
    }
  }
  return spawn_supervisor(plan, fds);
}

}  // namespace

Result<LaunchedAgent, LaunchError> launch_supervised(const SpawnOptions& options) {
  if (options.argv.empty()) return fail(LaunchError{"cannot run an empty command"});
  const std::string prefix = "cannot run '" + options.argv.front() + "': ";
  if (options.use_pty && options.stdin_data)
    return fail(LaunchError{prefix + "stdin_data cannot be used with use_pty"});
  if (options.stdin_stream && (options.use_pty || options.stdin_data))
    return fail(LaunchError{prefix + "stdin_stream cannot be used with use_pty or stdin_data"});

  LaunchPlan plan = prepare_launch_plan(options);
  Descriptors fds;
  if (auto opened = open_descriptors(options, fds); !opened.ok())
    return fail(LaunchError{prefix + opened.error()});

  auto started = start_supervisor(plan, fds);
  if (!started.ok()) return fail(LaunchError{prefix + started.error()});
  const pid_t supervisor = started.value();
  // The supervisor and the agent hold these now; our copies would keep output from ending.
  fds.agent_output.reset();
  fds.agent_stdin.reset();

  // Blocks until the agent has exec'd or failed to: a clone and an exec, under a millisecond.
  SupervisorReport report;
  const bool reported = read_report(fds.control.get(), report);
  // The next launch's standby, started only now: started while this agent was being started,
  // it slowed that down more than it costs here (bench/RESULTS.md, "The supervisor on standby").
  start_standby_supervisor();
  if (!reported) {
    reap(supervisor);
    return fail(LaunchError{prefix + "the supervisor process died while starting it"});
  }
  if (report.kind != ReportKind::AgentStarted) {
    fds.control.reset();  // lifeline EOF: the supervisor exits
    reap(supervisor);
    return fail(
        LaunchError{failure_message(plan, static_cast<LaunchStage>(report.value), report.error)});
  }
  LaunchedAgent launched;
  launched.supervisor_pid = supervisor;
  launched.agent_pid = report.value;
  launched.control = std::move(fds.control);
  launched.output = std::move(fds.output);
  launched.stdin_writer = std::move(fds.stdin_writer);
  return launched;
}

}  // namespace stork::proc
