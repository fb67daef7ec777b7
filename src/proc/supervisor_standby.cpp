// `stork-supervise standby`: a supervisor started before its agent is known (the server's side
// is standby_supervisor.cpp), so that an agent's start does not wait for this program's exec.
// It waits on its lifeline for one plan (supervisor_protocol.hpp: kStandbyPlan) and is then an
// ordinary supervisor. The lifeline closing first (the server exited, or dropped it) ends it.
#include <cerrno>
#include <csignal>
#include <optional>
#include <string>
#include <vector>

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/supervisor.hpp"

namespace stork::proc {
namespace {

// Far above what execve accepts for a command line and an environment.
constexpr off_t kMaxPlanBytes = off_t{64} << 20;
// The plan's memory file, the agent's output, the agent's stdin.
constexpr int kMaxPlanFds = 3;

struct PlanMessage {
  char kind = 0;
  std::vector<int> fds;  // in the order supervisor_protocol.hpp gives
};

// Blocks until the server's message; nullopt at EOF (or an error: the lifeline is unusable).
std::optional<PlanMessage> receive_plan_message(int control) {
  PlanMessage message;
  iovec data{&message.kind, 1};
  alignas(cmsghdr) char space[CMSG_SPACE(sizeof(int) * kMaxPlanFds)] = {};
  msghdr header{};
  header.msg_iov = &data;
  header.msg_iovlen = 1;
  header.msg_control = space;
  header.msg_controllen = sizeof space;
  ssize_t n;
  while ((n = ::recvmsg(control, &header, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
  }
  if (n <= 0) return std::nullopt;
  for (cmsghdr* part = CMSG_FIRSTHDR(&header); part != nullptr; part = CMSG_NXTHDR(&header, part)) {
    if (part->cmsg_level != SOL_SOCKET || part->cmsg_type != SCM_RIGHTS) continue;
    const auto count = (part->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    const auto* fds = reinterpret_cast<const int*>(CMSG_DATA(part));
    message.fds.assign(fds, fds + count);
  }
  return message;
}

std::optional<std::string> read_plan_file(int fd) {
  struct stat status {};
  if (::fstat(fd, &status) < 0 || status.st_size <= 0 || status.st_size > kMaxPlanBytes)
    return std::nullopt;
  std::string bytes(static_cast<std::size_t>(status.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

std::optional<SupervisorArguments> decode_command_line(const std::vector<std::string>& strings) {
  std::vector<const char*> argv;
  argv.reserve(strings.size());
  for (const auto& text : strings)
    argv.push_back(text.c_str());
  return decode_supervisor_arguments(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

[[noreturn]] void run_standby(int control, int dev_null) {
  // All a supervisor does before it knows its agent is done while it waits: off the server's
  // stdio at once (it may be a pipe someone waits to see closed), signals, descriptors.
  SupervisorFds fds{control, dev_null, -1, -1};
  detach_from_server(fds);

  // With no agent to stop gracefully yet, SIGTERM (a person, a service manager) simply ends
  // it while it waits.
  sigset_t terminate;
  sigemptyset(&terminate);
  sigaddset(&terminate, SIGTERM);
  ::sigprocmask(SIG_UNBLOCK, &terminate, nullptr);
  auto message = receive_plan_message(fds.control);
  ::sigprocmask(SIG_BLOCK, &terminate, nullptr);
  if (!message) ::_exit(0);
  std::optional<StandbyPlan> plan;
  if (message->kind == kStandbyPlan && message->fds.size() >= 2) {
    if (auto bytes = read_plan_file(message->fds[0])) plan = decode_standby_plan(*bytes);
  }
  auto arguments = plan ? decode_command_line(plan->command_line) : std::nullopt;
  const std::size_t expected_fds = arguments && arguments->agent_stdin ? 3 : 2;
  if (!arguments || message->fds.size() != expected_fds) {
    report_launch_failure(fds.control, LaunchStage::SupervisorSetup, EPROTO);
    ::_exit(1);
  }
  ::close(message->fds[0]);
  std::vector<char*> envp;
  envp.reserve(plan->environment.size() + 1);
  for (auto& entry : plan->environment)
    envp.push_back(entry.data());
  envp.push_back(nullptr);
  fds.agent_output = message->fds[1];
  fds.agent_stdin = arguments->agent_stdin ? message->fds[2] : -1;
  supervise_agent(*arguments, envp.data(), fds);
}

}  // namespace stork::proc
