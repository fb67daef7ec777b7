#include "scripted_server.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include "base/subprocess.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace stork::testing {
namespace {

using namespace std::chrono_literals;

std::string read_if_exists(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// True once `pid` has exited and been reaped.
bool reaped(pid_t pid) {
  int status = 0;
  const pid_t result = ::waitpid(pid, &status, WNOHANG);
  return result == pid || (result < 0 && errno == ECHILD);
}

}  // namespace

ScriptedServer::ScriptedServer(const std::filesystem::path& script,
                               const std::filesystem::path& scenario,
                               const std::filesystem::path& dir,
                               std::vector<std::string> extra_args)
    : log_(dir / "requests.jsonl"), output_(dir / "server.out") {
  const auto port_file = dir / "port";
  std::filesystem::remove(port_file);
  std::vector<std::string> args{"python3",     script.string(),    "--scenario", scenario.string(),
                                "--port-file", port_file.string(), "--log",      log_.string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv = c_strings(args);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, output_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  const int spawned = posix_spawnp(&pid_, "python3", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    pid_ = -1;
    error_ =
        std::string("cannot start python3 for ") + script.string() + ": " + std::strerror(spawned);
    return;
  }

  // The server renames the port file into place, so a file that exists is complete.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!std::filesystem::exists(port_file)) {
    const bool exited = reaped(pid_);
    if (exited || std::chrono::steady_clock::now() > deadline) {
      if (exited) pid_ = -1;  // reaped: the pid may be reused, never signal it
      error_ = script.filename().string() + " did not start on " + scenario.string() + ":\n" +
               read_if_exists(output_);
      return;
    }
    std::this_thread::sleep_for(20ms);
  }
  port_ = std::stoi(read_text(port_file));
}

ScriptedServer::~ScriptedServer() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (!reaped(pid_)) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
}

std::vector<std::string> ScriptedServer::request_lines() const {
  // The server may be writing a request while this reads: only lines that end in a newline
  // are whole, so a trailing piece without one is left for the next call.
  std::ifstream in(log_, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (auto end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    if (end > start) lines.emplace_back(text, start, end - start);
    start = end + 1;
  }
  return lines;
}

std::string ScriptedServer::requests_text() const {
  std::string all;
  for (const auto& line : request_lines())
    all += line + "\n";
  return all;
}

std::vector<std::pair<std::string, std::string>> claude_cli_env(const ScriptedServer& model,
                                                                const std::filesystem::path& home) {
  return {{"HOME", home.string()},
          {"IS_SANDBOX", "1"},
          {"ANTHROPIC_BASE_URL", model.base_url()},
          {"ANTHROPIC_API_KEY", "sk-ant-scripted-test"},
          {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"},
          {"CLAUDE_CODE_MAX_RETRIES", "0"}};
}

}  // namespace stork::testing
