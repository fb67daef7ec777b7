#include "proc/supervisor_spawn.hpp"

#include <csignal>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include "base/subprocess.hpp"
#include "proc/supervisor_protocol.hpp"
#include "proc/unique_fd.hpp"

namespace stork::proc {
namespace {

std::string error_text(int error) {
  return std::generic_category().message(error);
}

// The stork-supervise program: next to the running program (where stork's build and an
// installed stork have it), else where the build put it (tests, benchmarks).
const std::string& supervisor_program() {
  static const std::string path = [] {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
      const auto beside = self.parent_path() / "stork-supervise";
      if (::access(beside.c_str(), X_OK) == 0) return beside.string();
    }
    return std::string(STORK_SUPERVISE_PATH);
  }();
  return path;
}

// The highest number a supervisor's descriptor is given at (supervisor_protocol.hpp).
constexpr int kHighestGivenFd = kAgentStdinFd;

}  // namespace

Result<pid_t, std::string> spawn_supervisor_program(std::vector<std::string> command_line,
                                                    char* const* envp,
                                                    std::span<const GivenFd> fds) {
  // Each descriptor is first copied above the fixed numbers, so that no dup2 below overwrites
  // one that a later dup2 still reads. dup2 clears close-on-exec on what the supervisor gets;
  // the copies close at its exec (and here on return).
  std::vector<UniqueFd> copies;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (const auto& given : fds) {
    if (given.fd < 0) continue;
    copies.emplace_back(::fcntl(given.fd, F_DUPFD_CLOEXEC, kHighestGivenFd + 1));
    if (!copies.back().valid()) {
      posix_spawn_file_actions_destroy(&actions);
      return fail("dup: " + error_text(errno));
    }
    posix_spawn_file_actions_adddup2(&actions, copies.back().get(), given.number);
  }
  // Nothing reaches the supervisor before it has set its own signal handling.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &all);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  auto argv = c_strings(command_line);
  const std::string& program = supervisor_program();
  pid_t supervisor = -1;
  const int spawned =
      ::posix_spawn(&supervisor, program.c_str(), &actions, &attributes, argv.data(), envp);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0)
    return fail("cannot start the supervisor program " + program + ": " + error_text(spawned));
  return supervisor;
}

}  // namespace stork::proc
