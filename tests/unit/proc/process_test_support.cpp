#include "process_test_support.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace stork::proc::testing {

Result<std::shared_ptr<ChildProcess>, SpawnError> ProcessRun::spawn(SpawnOptions options) {
  ProcessHandlers handlers;
  handlers.on_lines = [this](std::vector<std::string>& batch) {
    ++batches;
    if (exit_calls > 0) lines_after_exit = true;
    for (auto& line : batch)
      lines.push_back(std::move(line));
  };
  handlers.on_exit = [this](const ExitStatus& exit_status) {
    ++exit_calls;
    status = exit_status;
  };
  auto result = ChildProcess::spawn(io.get_executor(), std::move(options), std::move(handlers));
  if (result.ok()) child = result.value();
  return result;
}

bool ProcessRun::run_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    if (io.stopped()) io.restart();
    io.run_one_for(deadline - now);
  }
  return true;
}

bool ProcessRun::wait_for_exit(std::chrono::milliseconds limit) {
  return run_until([this] { return exit_calls > 0; }, limit);
}

bool ProcessRun::wait_for_line(const std::string& text, std::chrono::milliseconds limit) {
  return run_until([&] { return std::find(lines.begin(), lines.end(), text) != lines.end(); },
                   limit);
}

bool ProcessRun::wait_for_lines(std::size_t count, std::chrono::milliseconds limit) {
  return run_until([&] { return lines.size() >= count; }, limit);
}

SpawnOptions shell(const std::string& script, bool use_pty) {
  SpawnOptions options;
  options.argv = {"sh", "-c", script};
  options.use_pty = use_pty;
  return options;
}

bool process_exists(pid_t pid) {
  return ::kill(pid, 0) == 0 || errno != ESRCH;
}

bool process_group_exists(pid_t pgid) {
  return ::kill(-pgid, 0) == 0 || errno != ESRCH;
}

std::vector<pid_t> zombie_children() {
  std::vector<pid_t> zombies;
  const pid_t self = ::getpid();
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ignored)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    // A process may vanish while we read it (std::ifstream would throw then).
    std::FILE* stat = std::fopen((entry.path() / "stat").c_str(), "r");
    if (stat == nullptr) continue;
    char buffer[1024] = {};
    const std::size_t size = std::fread(buffer, 1, sizeof buffer - 1, stat);
    std::fclose(stat);
    const std::string text(buffer, size);
    const auto comm_end = text.rfind(')');
    if (comm_end == std::string::npos) continue;
    std::istringstream fields(text.substr(comm_end + 1));
    char state = 0;
    pid_t parent = 0;
    fields >> state >> parent;
    if (parent == self && state == 'Z') zombies.push_back(std::stoi(name));
  }
  return zombies;
}

}  // namespace stork::proc::testing
