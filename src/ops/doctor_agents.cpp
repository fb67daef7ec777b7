// The agent half of `stork doctor`: every agent's program resolves and (for the agent CLIs)
// runs, its credentials are there, and a Claude Code coder can use its tools unattended.
#include <cstdlib>
#include <map>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

#include "base/subprocess.hpp"
#include "ops/doctor.hpp"

namespace stork::ops::doctor {
namespace {

using Level = DoctorFinding::Level;

bool executable_file(const std::filesystem::path& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

const char* env(const char* name) {
  return std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read before any thread starts
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.size() > 200 ? line.substr(0, 200) + "..." : line;
}

// `program --version` under coreutils' timeout: a CLI that hangs must not hang the doctor.
std::pair<bool, std::string> version_of(const std::filesystem::path& program,
                                        const std::filesystem::path& cwd,
                                        std::chrono::seconds limit) {
  Command command;
  command.argv = {"timeout", std::to_string(limit.count()), program.string(), "--version"};
  command.cwd = cwd;
  command.merge_stderr = true;
  auto output = run_command(command);
  if (!output.ok()) return {false, output.error().message};
  const auto& out = output.value();
  if (out.exit_code == 124)
    return {false, "no answer within " + std::to_string(limit.count()) + " s"};
  if (!out.succeeded())
    return {false, "exit code " + std::to_string(out.exit_code) + ": " + first_line(out.out)};
  return {true, first_line(out.out)};
}

bool claude_credentials_present() {
  for (const char* name :
       {"ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN"}) {
    if (const char* value = env(name); value != nullptr && *value != '\0') return true;
  }
  std::filesystem::path dir;
  if (const char* config_dir = env("CLAUDE_CONFIG_DIR")) {
    dir = config_dir;
  } else if (const char* home = env("HOME")) {
    dir = std::filesystem::path(home) / ".claude";
  }
  std::error_code ignored;
  return !dir.empty() && std::filesystem::exists(dir / ".credentials.json", ignored);
}

bool has_arg(const AgentConfig& agent, std::string_view prefix) {
  for (const auto& arg : agent.args)
    if (arg.rfind(prefix, 0) == 0) return true;
  return false;
}

class AgentChecks {
 public:
  AgentChecks(const std::filesystem::path& root, const DoctorOptions& options, DoctorReport& report)
      : root_(root), options_(options), report_(report) {}

  void check(const AgentConfig& agent) {
    const std::string check = agent.runtime + " agent " + agent.name;
    if (agent.runtime == "claude-code") return check_claude(agent, check);
    // acp: the ACP agent named by `command` (claude-code-acp, gemini, ...) must be runnable.
    if (agent.runtime == "command" || agent.runtime == "acp") {
      (void)check_program(agent, agent.command.value_or(""), check, false);
      return;
    }
    if (agent.runtime == "openai" || agent.runtime == "gemini") return check_api(agent, check);
    if (agent.runtime == "gemini-cli") return check_gemini_cli(agent, check);
    if (agent.runtime == "codex") {
      if (check_program(agent, agent.command.value_or("codex"), check, /*run_version=*/true))
        check_api(agent, check);
    }
  }

 private:
  // Resolves (and for agent CLIs runs) a program once, however many agents use it.
  bool check_program(const AgentConfig& agent, const std::string& program, const std::string& check,
                     bool run_version) {
    const auto path = resolve_program(program, root_);
    if (path.empty() && missing_.contains(program)) {
      // One finding per missing program, naming every agent that uses it.
      auto& finding = report_.findings[missing_[program]];
      finding.check += ", " + agent.name;
      return false;
    }
    if (path.empty()) {
      missing_[program] = report_.findings.size();
      add(Level::Error, check, "'" + program + "' is not an executable on the PATH",
          install_hint(agent));
      return false;
    }
    if (!run_version || !options_.run_versions) {
      add(Level::Ok, check, path.string());
      return true;
    }
    auto [version, inserted] = versions_.try_emplace(path.string());
    if (inserted) version->second = version_of(path, root_, options_.version_timeout);
    const auto& [runs, text] = version->second;
    if (!runs) {
      add(Level::Error, check, path.string() + " --version failed: " + text,
          "run it by hand to see why; reinstall it if it is broken");
      return false;
    }
    add(Level::Ok, check, path.string() + ": " + text);
    return true;
  }

  void check_claude(const AgentConfig& agent, const std::string& check) {
    if (!check_program(agent, agent.command.value_or("claude"), check, /*run_version=*/true))
      return;
    if (!claude_credentials_present() && !credentials_reported_) {
      credentials_reported_ = true;
      add(Level::Warning, "Claude Code credentials",
          "no ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or CLAUDE_CODE_OAUTH_TOKEN, and no "
          "~/.claude/.credentials.json",
          "run `claude` once and log in, or set ANTHROPIC_API_KEY for `stork serve`");
    }
    // permission_mode makes the launch add --permission-prompt-tool (claude/launch.cpp).
    const bool unattended = agent.permission_mode.has_value() || !agent.allowed_tools.empty() ||
                            has_arg(agent, "--dangerously-skip-permissions") ||
                            has_arg(agent, "--permission-prompt-tool") ||
                            has_arg(agent, "--permission-mode");
    if (agent.stage == AgentStage::Coder && !unattended) {
      add(Level::Warning, check,
          "no permission setup: Claude Code refuses, unattended, every tool it would ask about "
          "(a compound Bash command, a commit)",
          "set permission_mode = \"allow\" (or \"ask\") on agent " + agent.name +
              " (docs/permissions.md)");
    }
  }

  static std::string install_hint(const AgentConfig& agent) {
    if (agent.runtime == "claude-code") {
      return "install Claude Code (npm install -g @anthropic-ai/claude-code), or set "
             "command = \"/path/to/claude\" on the agents";
    }
    if (agent.runtime == "gemini-cli") {
      return "install the Gemini CLI (npm install -g @google/gemini-cli), or set "
             "command = \"/path/to/gemini\" on the agents (docs/runtime-gemini-cli.md)";
    }
    if (agent.runtime == "codex") {
      return "install the Codex CLI (npm install -g @openai/codex), or set "
             "command = \"/path/to/codex\" on the agents (docs/runtime-codex.md)";
    }
    return "fix command on agent " + agent.name + " in .storkit/project.toml";
  }

  // The Gemini CLI always needs a key (any value for a local server): the runtime refuses to
  // start without one rather than let the CLI ask for a login nobody can give.
  void check_gemini_cli(const AgentConfig& agent, const std::string& check) {
    if (!check_program(agent, agent.command.value_or("gemini"), check, /*run_version=*/true))
      return;
    const std::string key = agent.api_key_env.value_or("GEMINI_API_KEY");
    const char* value = env(key.c_str());
    if (value != nullptr && *value != '\0') {
      add(Level::Ok, check, key + " is set");
    } else {
      add(Level::Error, check, key + " is not set: the gemini-cli runtime will not start the CLI",
          "export " + key + "=... before `stork serve` (any value for a local server)");
    }
  }

  void check_api(const AgentConfig& agent, const std::string& check) {
    const std::string key =
        agent.api_key_env.value_or(agent.runtime == "gemini" ? "GEMINI_API_KEY" : "OPENAI_API_KEY");
    const char* value = env(key.c_str());
    if (value != nullptr && *value != '\0') {
      add(Level::Ok, check, key + " is set");
    } else if (agent.base_url) {
      add(Level::Warning, check,
          key + " is not set (fine for a local server at " + *agent.base_url + ")",
          "export " + key + " if " + *agent.base_url + " needs a key");
    } else {
      add(Level::Error, check, key + " is not set: the provider will refuse every request",
          "export " + key + "=... before `stork serve`");
    }
  }

  void add(Level level, std::string check, std::string message, std::string fix = "") {
    report_.findings.push_back({level, std::move(check), std::move(message), std::move(fix)});
  }

  const std::filesystem::path& root_;
  const DoctorOptions& options_;
  DoctorReport& report_;
  std::map<std::string, std::pair<bool, std::string>> versions_;
  std::map<std::string, std::size_t> missing_;  // program → its finding
  bool credentials_reported_ = false;
};

}  // namespace

std::filesystem::path resolve_program(const std::string& program,
                                      const std::filesystem::path& cwd) {
  if (program.empty()) return {};
  if (program.find('/') != std::string::npos) {
    auto path = program.front() == '/' ? std::filesystem::path(program) : cwd / program;
    return executable_file(path) ? path : std::filesystem::path();
  }
  const char* path_variable = env("PATH");
  std::istringstream dirs(path_variable != nullptr ? path_variable
                                                   : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    auto candidate = (dir.empty() ? cwd : std::filesystem::path(dir)) / program;
    if (executable_file(candidate)) return candidate;
  }
  return {};
}

void check_agents(const std::filesystem::path& root, const ProjectConfig& config,
                  const DoctorOptions& options, DoctorReport& report) {
  AgentChecks checks(root, options, report);
  for (const auto& agent : config.agents)
    checks.check(agent);
}

}  // namespace stork::ops::doctor
