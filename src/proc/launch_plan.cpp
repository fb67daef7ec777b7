#include "proc/launch_plan.hpp"

#include <algorithm>

extern char** environ;

namespace stork::proc {
namespace {

// Claude Code refuses to start inside another Claude Code session it detects by this variable;
// an agent started by stork is never such a nested session.
constexpr std::string_view kAlwaysUnset = "CLAUDECODE";

// Glibc's execvp default when PATH is not set.
constexpr std::string_view kDefaultPath = "/bin:/usr/bin";

std::string_view name_of(std::string_view entry) {
  return entry.substr(0, entry.find('='));
}

std::string_view path_of(const std::vector<std::string>& environment) {
  for (const auto& entry : environment) {
    if (name_of(entry) == "PATH") return std::string_view(entry).substr(5);
  }
  return kDefaultPath;
}

}  // namespace

std::vector<std::string> child_environment(const SpawnOptions& options) {
  const auto removed = [&](std::string_view name) {
    return name == kAlwaysUnset || std::find(options.unset_env.begin(), options.unset_env.end(),
                                             name) != options.unset_env.end();
  };
  std::vector<std::string> result;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    if (text.find('=') != std::string_view::npos && !removed(name_of(text)))
      result.emplace_back(text);
  }
  for (const auto& [name, value] : options.set_env) {
    std::string entry = name;
    entry.append("=").append(value);
    auto existing =
        std::find_if(result.begin(), result.end(),
                     [&name = name](const std::string& e) { return name_of(e) == name; });
    if (existing != result.end()) {
      *existing = std::move(entry);
    } else {
      result.push_back(std::move(entry));
    }
  }
  return result;
}

std::vector<std::string> executable_candidates(const std::string& program,
                                               std::string_view path_variable) {
  if (program.find('/') != std::string::npos) return {program};
  std::vector<std::string> result;
  std::size_t start = 0;
  for (;;) {
    const std::size_t colon = path_variable.find(':', start);
    std::string_view directory = path_variable.substr(start, colon - start);
    if (directory.empty()) directory = ".";
    std::string candidate(directory);
    if (candidate.back() != '/') candidate += '/';
    result.push_back(candidate + program);
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  return result;
}

LaunchPlan prepare_launch_plan(const SpawnOptions& options) {
  LaunchPlan plan;
  plan.program = options.argv.front();
  plan.environment = child_environment(options);
  plan.supervisor.use_pty = options.use_pty;
  plan.supervisor.agent_stdin = options.stdin_data.has_value() || options.stdin_stream;
  plan.supervisor.cwd = options.cwd.string();
  plan.supervisor.candidates = executable_candidates(plan.program, path_of(plan.environment));
  plan.supervisor.argv = options.argv;
  return plan;
}

}  // namespace stork::proc
