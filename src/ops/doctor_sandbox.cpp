// The sandbox half of `stork doctor`: when project.toml asks for bwrap (the project's `sandbox`
// for run_command and gates, or an agent's), bwrap must be installed and able to build the
// sandbox stork uses (namespaces may be forbidden, e.g. inside some containers).
#include <algorithm>
#include <cstdlib>

#include "base/subprocess.hpp"
#include "ops/doctor.hpp"
#include "proc/sandbox.hpp"

namespace stork::ops::doctor {
namespace {

using Level = DoctorFinding::Level;

// Who asked for the sandbox, for the message: "run_command and the gates", "agent coder-1", ...
std::vector<std::string> sandbox_users(const ProjectConfig& config) {
  std::vector<std::string> users;
  if (config.sandbox == SandboxKind::Bwrap) users.emplace_back("run_command and the gates");
  for (const auto& agent : config.agents) {
    if (agent.sandbox == SandboxKind::Bwrap) users.push_back("agent " + agent.name);
  }
  return users;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string text;
  for (const auto& part : parts)
    text += (text.empty() ? "" : ", ") + part;
  return text;
}

std::string first_line(const std::string& text) {
  return text.substr(0, std::min(text.find('\n'), std::size_t{300}));
}

// A sandboxed Claude Code sees an empty HOME: a login kept in ~/.claude is not there.
bool claude_env_credentials() {
  for (const char* name :
       {"ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN"}) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): the doctor runs before any thread starts
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0') return true;
  }
  return false;
}

void check_sandboxed_claude(const ProjectConfig& config, DoctorReport& report) {
  for (const auto& agent : config.agents) {
    if (agent.sandbox != SandboxKind::Bwrap || agent.runtime != "claude-code") continue;
    if (claude_env_credentials()) return;
    report.findings.push_back(
        {Level::Warning, "agent " + agent.name,
         "runs under bwrap with an empty HOME, and no ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN "
         "or CLAUDE_CODE_OAUTH_TOKEN is set: a login kept in ~/.claude is not visible to it",
         "export CLAUDE_CODE_OAUTH_TOKEN (from `claude setup-token`) or ANTHROPIC_API_KEY "
         "before `stork serve`"});
    return;
  }
}

}  // namespace

void check_sandbox(const std::filesystem::path& root, const ProjectConfig& config,
                   DoctorReport& report) {
  const auto users = sandbox_users(config);
  if (users.empty()) return;
  const std::string check = "sandbox (bwrap)";
  const std::string program(proc::kBwrapProgram);
  const std::string why = " (sandbox = \"bwrap\" for " + joined(users) + ")";
  const auto path = resolve_program(program, root);
  if (path.empty()) {
    report.findings.push_back(
        {Level::Error, check, "'bwrap' is not an executable on the PATH" + why,
         "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap), or set sandbox = "
         "\"none\" in .storkit/project.toml to run without it (docs/sandbox.md)"});
    return;
  }
  // The namespaces and mounts stork's sandbox needs, on a command that does nothing.
  Command probe;
  probe.argv = {"timeout",
                "20",
                path.string(),
                "--die-with-parent",
                "--unshare-pid",
                "--unshare-net",
                "--ro-bind",
                "/",
                "/",
                "--dev",
                "/dev",
                "--proc",
                "/proc",
                "--tmpfs",
                "/tmp",
                "true"};
  probe.cwd = root;
  probe.merge_stderr = true;
  auto ran = run_command(probe);
  if (!ran.ok() || !ran.value().succeeded()) {
    const std::string said = ran.ok() ? "exit code " + std::to_string(ran.value().exit_code) +
                                            ": " + first_line(ran.value().out)
                                      : ran.error().message;
    report.findings.push_back(
        {Level::Error, check, path.string() + " cannot build a sandbox here" + why + ": " + said,
         "allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1), or run "
         "stork where bwrap works; else set sandbox = \"none\" (docs/sandbox.md)"});
    return;
  }
  report.findings.push_back({Level::Ok, check, path.string() + " works" + why, ""});
  check_sandboxed_claude(config, report);
}

}  // namespace stork::ops::doctor
