#include "base/subprocess.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <map>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace stork {
namespace {

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  ~Pipe() { close_both(); }
  void close_read() { close_fd(read_end); }
  void close_write() { close_fd(write_end); }
  void close_both() {
    close_read();
    close_write();
  }
  static void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

bool open_pipe(Pipe& p) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  p.read_end = fds[0];
  p.write_end = fds[1];
  return true;
}

// The child's environment: ours, minus unset_env, plus set_env.
std::vector<std::string> build_environment(const Command& command) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) vars[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& name : command.unset_env)
    vars.erase(name);
  for (const auto& [name, value] : command.set_env)
    vars[name] = value;
  std::vector<std::string> result;
  result.reserve(vars.size());
  for (const auto& [name, value] : vars) {
    result.push_back(name);
    result.back().append("=").append(value);
  }
  return result;
}

// Pumps stdin in and stdout/stderr out until all three are closed; poll keeps a child that
// fills one pipe from deadlocking against us waiting on the other.
void pump(Pipe& in, Pipe& out, Pipe& err, const std::string& input, CommandOutput& result) {
  size_t input_sent = 0;
  if (input.empty()) in.close_write();
  std::array<char, 65536> buffer{};
  while (in.write_end >= 0 || out.read_end >= 0 || err.read_end >= 0) {
    std::array<pollfd, 3> fds{
        {{in.write_end, POLLOUT, 0}, {out.read_end, POLLIN, 0}, {err.read_end, POLLIN, 0}}};
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents != 0) {
      ssize_t n = ::write(in.write_end, input.data() + input_sent, input.size() - input_sent);
      if (n > 0) input_sent += static_cast<size_t>(n);
      if (n < 0 || input_sent == input.size()) in.close_write();
    }
    std::array<std::pair<Pipe*, std::string*>, 2> readers{
        {{&out, &result.out}, {&err, &result.err}}};
    for (size_t i = 0; i < readers.size(); ++i) {
      if (fds[i + 1].revents == 0) continue;
      ssize_t n = ::read(readers[i].first->read_end, buffer.data(), buffer.size());
      if (n > 0) {
        readers[i].second->append(buffer.data(), static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        readers[i].first->close_read();
      }
    }
  }
}

}  // namespace

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> result;
  result.reserve(strings.size() + 1);
  for (auto& s : strings)
    result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

IoResult<CommandOutput> run_command(const Command& command) {
  if (command.argv.empty()) return fail(IoError{"run_command: empty argv"});
  Pipe in, out, err;
  if (!open_pipe(in) || !open_pipe(out) || !open_pipe(err)) {
    return fail(IoError{std::string("cannot create pipe: ") + std::strerror(errno)});
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read_end, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write_end, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, command.merge_stderr ? out.write_end : err.write_end,
                                   STDERR_FILENO);
  if (!command.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, command.cwd.c_str());

  // The child starts with default signal dispositions and an empty mask, whatever ours are.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t empty, all;
  sigemptyset(&empty);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &empty);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  auto argv_storage = command.argv;
  auto env_storage = build_environment(command);
  auto argv = c_strings(argv_storage);
  auto envp = c_strings(env_storage);
  pid_t pid = -1;
  int spawn_error = ::posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawn_error != 0) {
    return fail(IoError{"cannot run " + command.argv[0] + ": " + std::strerror(spawn_error)});
  }
  in.close_read();
  out.close_write();
  err.close_write();

  CommandOutput result;
  pump(in, out, err, command.stdin_data, result);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return fail(IoError{std::string("waitpid: ") + std::strerror(errno)});
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  return result;
}

}  // namespace stork
