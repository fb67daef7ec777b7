#include "serve_process.hpp"

#include <atomic>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include "base/subprocess.hpp"

extern char** environ;

namespace stork::testing {
namespace {

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int decode_status(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

ServeProcess::ServeProcess(std::vector<std::string> args, const std::filesystem::path& cwd,
                           const std::filesystem::path& log_dir,
                           std::vector<std::pair<std::string, std::string>> env) {
  static std::atomic<int> counter{0};
  const int n = counter++;
  std::filesystem::create_directories(log_dir);
  out_file_ = log_dir / ("serve-" + std::to_string(n) + ".out");
  err_file_ = log_dir / ("serve-" + std::to_string(n) + ".err");

  std::vector<std::string> argv_strings{STORK_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  // Tests of the server's behaviour serve throwaway projects (a default roster with no
  // `claude` installed, nothing committed): the doctor's refusal is tested on its own, with
  // STORK_SKIP_DOCTOR=0 (ServeTest.Doctor_*).
  bool doctor_chosen = false;
  for (const auto& [name, value] : env)
    doctor_chosen = doctor_chosen || name == "STORK_SKIP_DOCTOR";
  if (!doctor_chosen) env.emplace_back("STORK_SKIP_DOCTOR", "1");
  std::vector<std::string> env_strings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    bool replaced = false;
    for (const auto& [name, value] : env)
      replaced = replaced || text.starts_with(name + "=");
    if (!replaced) env_strings.push_back(std::move(text));
  }
  for (const auto& [name, value] : env)
    env_strings.push_back(name + "=" + value);
  auto argv = c_strings(argv_strings);
  auto envp = c_strings(env_strings);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  if (posix_spawn(&pid_, STORK_BINARY, &actions, nullptr, argv.data(), envp.data()) != 0) pid_ = -1;
  posix_spawn_file_actions_destroy(&actions);
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

bool ServeProcess::wait_listening(std::chrono::milliseconds timeout) {
  static const std::regex listening(R"(listening on https?://[^\s]+:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    const std::string text = out();
    if (std::regex_search(text, match, listening)) {
      port_ = static_cast<unsigned short>(std::stoi(match[1].str()));
      return true;
    }
    if (wait_exit(std::chrono::milliseconds(0))) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void ServeProcess::signal(int signal) const {
  if (pid_ > 0 && !exit_code_) ::kill(pid_, signal);
}

std::optional<int> ServeProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_code_ || pid_ <= 0) return exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = decode_status(status);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string ServeProcess::out() const {
  return slurp(out_file_);
}

std::string ServeProcess::err() const {
  return slurp(err_file_);
}

Finished run_stork(std::vector<std::string> args, const std::filesystem::path& cwd,
                   std::vector<std::pair<std::string, std::string>> env,
                   std::chrono::milliseconds timeout) {
  static std::atomic<int> counter{0};
  const auto log_dir =
      std::filesystem::temp_directory_path() /
      ("stork-run-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  Finished finished;
  {
    ServeProcess process(std::move(args), cwd, log_dir, std::move(env));
    auto code = process.wait_exit(timeout);
    finished.exit_code = code.value_or(-1);
    finished.out = process.out();
    finished.err = process.err();
  }
  std::error_code ignored;
  std::filesystem::remove_all(log_dir, ignored);
  return finished;
}

}  // namespace stork::testing
