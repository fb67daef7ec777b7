#include "proc/standby_supervisor.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc/memory_file.hpp"
#include "proc/supervisor_protocol.hpp"
#include "proc/supervisor_spawn.hpp"

extern char** environ;

namespace stork::proc {
namespace {

struct Slot {
  std::mutex mutex;
  std::optional<StandbySupervisor> waiting;
};

// Never destroyed: launches may run on other threads while the process exits, and the
// kernel closes the standby's lifeline at exit anyway.
Slot& slot() {
  static Slot& the_slot = *new Slot;
  return the_slot;
}

bool still_waiting(const StandbySupervisor& standby) {
  int status = 0;
  // pid: it has exited and is reaped now; -1: someone else reaped it.
  return ::waitpid(standby.pid, &status, WNOHANG) == 0;
}

void stop_and_reap(StandbySupervisor& standby) {
  standby.control.reset();
  ::kill(standby.pid, SIGKILL);
  while (::waitpid(standby.pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

// The plan in a memory file: any size execve accepts fits, where one socket message may not.
UniqueFd plan_file(const LaunchPlan& plan) {
  SupervisorArguments arguments = plan.supervisor;
  if (arguments.cwd.empty()) {
    // "Inherit" means the server's directory now, not when the standby was started.
    std::error_code ignored;
    arguments.cwd = std::filesystem::current_path(ignored).string();
  }
  const std::string bytes =
      encode_standby_plan(encode_supervisor_arguments(arguments), plan.environment);
  auto file = memory_file("stork-supervise-plan", bytes);
  return file.ok() ? std::move(file.value()) : UniqueFd();
}

bool send_plan(int control, const int* fds, std::size_t count) {
  char kind = kStandbyPlan;
  iovec data{&kind, 1};
  alignas(cmsghdr) char space[CMSG_SPACE(sizeof(int) * 3)] = {};
  msghdr header{};
  header.msg_iov = &data;
  header.msg_iovlen = 1;
  header.msg_control = space;
  header.msg_controllen = CMSG_SPACE(sizeof(int) * count);
  cmsghdr* part = CMSG_FIRSTHDR(&header);
  part->cmsg_level = SOL_SOCKET;
  part->cmsg_type = SCM_RIGHTS;
  part->cmsg_len = CMSG_LEN(sizeof(int) * count);
  std::copy(fds, fds + count, reinterpret_cast<int*>(CMSG_DATA(part)));
  ssize_t n;
  while ((n = ::sendmsg(control, &header, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
  }
  return n == 1;
}

}  // namespace

std::optional<StandbySupervisor> take_standby_supervisor() {
  Slot& the_slot = slot();
  const std::lock_guard lock(the_slot.mutex);
  std::optional<StandbySupervisor> taken = std::move(the_slot.waiting);
  the_slot.waiting.reset();
  if (taken && !still_waiting(*taken)) return std::nullopt;
  return taken;
}

void start_standby_supervisor() {
  Slot& the_slot = slot();
  const std::lock_guard lock(the_slot.mutex);
  if (the_slot.waiting) return;
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) < 0) return;
  UniqueFd ours(ends[0]);
  const UniqueFd theirs(ends[1]);
  const UniqueFd dev_null(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!dev_null.valid()) return;
  const GivenFd given[] = {{theirs.get(), kControlFd}, {dev_null.get(), kDevNullFd}};
  auto spawned = spawn_supervisor_program({"stork-supervise", kStandbyMode}, environ, given);
  if (!spawned.ok()) return;
  the_slot.waiting = StandbySupervisor{spawned.value(), std::move(ours)};
}

bool hand_plan_to_standby(StandbySupervisor& standby, const LaunchPlan& plan, int agent_output,
                          int agent_stdin) {
  const UniqueFd file = plan_file(plan);
  const int fds[] = {file.get(), agent_output, agent_stdin};
  const std::size_t count = agent_stdin >= 0 ? 3 : 2;
  if (file.valid() && send_plan(standby.control.get(), fds, count)) return true;
  stop_and_reap(standby);
  return false;
}

}  // namespace stork::proc
