// `stork doctor`: what a project needs before any agent runs, checked up front so a setup
// problem is named with its fix instead of surfacing later as a failed attempt (issue 15).
// Run by `stork doctor`, by `stork config check --deep`, and by `stork serve` at start, which
// refuses to start on an error. Blocking (git and each agent's `--version` run as child
// processes): call it before the io_context runs or on a worker.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "config/project_config.hpp"

namespace stork::ops {

struct DoctorFinding {
  enum class Level { Ok, Warning, Error };
  Level level = Level::Ok;
  std::string check;    // what was checked: "git identity", "agent coder-1", ...
  std::string message;  // what was found
  std::string fix;      // what to do about it; empty for Ok
};

struct DoctorReport {
  std::vector<DoctorFinding> findings;
  bool has_errors() const;
  int count(DoctorFinding::Level level) const;
};

struct DoctorOptions {
  // Each agent program is run once with `--version` (claude-code) to prove it executes.
  bool run_versions = true;
  std::chrono::seconds version_timeout{20};
};

DoctorReport run_doctor(const std::filesystem::path& project_root, const ProjectConfig& config,
                        const DoctorOptions& options = {});

// "ok      git identity: Ann <ann@example.org>" lines, then "error" and "warning" ones with
// their fix indented below, then a count.
std::string render_doctor(const DoctorReport& report);

// The check functions, one per concern (doctor_git.cpp, doctor_agents.cpp).
namespace doctor {
void check_repository(const std::filesystem::path& root, const ProjectConfig& config,
                      DoctorReport& report);
void check_agents(const std::filesystem::path& root, const ProjectConfig& config,
                  const DoctorOptions& options, DoctorReport& report);
// bwrap installed and working when project.toml asks for the sandbox (doctor_sandbox.cpp).
void check_sandbox(const std::filesystem::path& root, const ProjectConfig& config,
                   DoctorReport& report);
// The path of `program` as exec would find it (a name with a slash is taken as it is,
// relative to `cwd`); empty when it cannot be executed.
std::filesystem::path resolve_program(const std::string& program, const std::filesystem::path& cwd);
}  // namespace doctor

}  // namespace stork::ops
