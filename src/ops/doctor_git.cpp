// The repository half of `stork doctor`: the base branch, what must be committed on it (the
// configuration, the gate, with its executable bit), nothing of the tracked setup left
// uncommitted, a git identity for the agents' commits, and a writable worktree directory.
#include <array>
#include <optional>
#include <system_error>

#include <unistd.h>

#include "base/subprocess.hpp"
#include "git/base_branch.hpp"
#include "ops/doctor.hpp"

namespace stork::ops::doctor {
namespace {

using Level = DoctorFinding::Level;

// The trimmed output of a git command in `root`; nothing when it fails or cannot run.
std::optional<std::string> git(const std::filesystem::path& root, std::vector<std::string> args) {
  Command command;
  command.argv = {"git", "-C", root.string()};
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  auto output = run_command(command);
  if (!output.ok() || !output.value().succeeded()) return std::nullopt;
  std::string text = std::move(output.value().out);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  return text;
}

void add(DoctorReport& report, Level level, std::string check, std::string message,
         std::string fix = "") {
  report.findings.push_back({level, std::move(check), std::move(message), std::move(fix)});
}

std::optional<std::string> check_base_branch(const std::filesystem::path& root,
                                             const ProjectConfig& config, DoctorReport& report) {
  auto base = resolve_base_branch(root, config.base_branch);
  if (!base.ok()) {
    add(report, Level::Error, "base branch", base.error().message,
        "set base_branch in .storkit/project.toml to an existing branch, or check one out");
    return std::nullopt;
  }
  if (!git(root, {"rev-parse", "--verify", "--quiet", base.value() + "^{commit}"})) {
    auto branches = git(root, {"for-each-ref", "--format=%(refname:short)", "refs/heads"});
    std::string known = branches && !branches->empty() ? *branches : "none: no commit yet";
    for (char& c : known)
      if (c == '\n') c = ' ';
    add(report, Level::Error, "base branch",
        "'" + base.value() + "' has no commit in this repository (branches: " + known + ")",
        config.base_branch ? "set base_branch in .storkit/project.toml to one of the branches"
                           : "make a first commit: git add -A && git commit -m 'first commit'");
    return std::nullopt;
  }
  add(report, Level::Ok, "base branch", "'" + base.value() + "'");
  return base.value();
}

void check_committed_setup(const std::filesystem::path& root, const std::string& base,
                           DoctorReport& report) {
  if (git(root, {"cat-file", "-e", base + ":.storkit/project.toml"})) {
    add(report, Level::Ok, "setup committed", ".storkit/project.toml is on " + base);
    return;
  }
  add(report, Level::Error, "setup committed",
      ".storkit/project.toml is not committed on " + base + ": worktrees start from " + base +
          " and would not have it",
      "git add .storkit script && git commit -m 'storkit: setup'");
}

// What of .storkit/ git should track (the rest, state.db, logs, worktrees and 2_current to
// 4_merge, is gitignored runtime state), and the project's .mcp.json when there is one.
constexpr std::array<const char*, 6> kTrackedSetup = {
    ".storkit/project.toml", ".storkit/specs",           ".storkit/work/1_backlog",
    ".storkit/work/5_done",  ".storkit/work/6_archived", ".mcp.json"};
constexpr std::size_t kNamedAtMost = 10;

// Every uncommitted or untracked file there, named. A warning, not an error: runs still work
// (the server reads the main checkout), but a worktree or another clone lacks the change, and
// the next `git commit -a` of the user's would sweep it up unannounced.
void check_setup_clean(const std::filesystem::path& root, DoctorReport& report) {
  std::vector<std::string> args = {"status", "--porcelain=v1", "-z", "--untracked-files=all", "--"};
  args.insert(args.end(), kTrackedSetup.begin(), kTrackedSetup.end());
  auto status = git(root, args);
  if (!status) return;  // git itself failing was reported by the checks before this one
  std::vector<std::string> names;
  std::size_t at = 0;
  while (at < status->size()) {
    auto end = status->find('\0', at);
    if (end == std::string::npos) end = status->size();
    const std::string entry = status->substr(at, end - at);
    at = end + 1;
    if (entry.size() < 4) continue;
    const bool untracked = entry.compare(0, 2, "??") == 0;
    std::string name = entry.substr(3);
    for (char& c : name)  // a file name is anyone's text: no control characters on the terminal
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    names.push_back(name + (untracked ? " (untracked)" : " (uncommitted)"));
    // A rename or copy is followed by its source path: skip it.
    if (entry[0] == 'R' || entry[0] == 'C') {
      const auto source_end = status->find('\0', at);
      at = source_end == std::string::npos ? status->size() : source_end + 1;
    }
  }
  if (names.empty()) {
    add(report, Level::Ok, "setup clean", "nothing uncommitted in .storkit/ or .mcp.json");
    return;
  }
  std::string listed;
  std::string paths;
  for (std::size_t i = 0; i < names.size() && i < kNamedAtMost; ++i) {
    listed += (i > 0 ? ", " : "") + names[i];
    paths += " '" + names[i].substr(0, names[i].rfind(" (")) + "'";
  }
  if (names.size() > kNamedAtMost)
    listed += " and " + std::to_string(names.size() - kNamedAtMost) + " more";
  add(report, Level::Warning, "setup clean",
      std::to_string(names.size()) + " file(s) of the setup not committed: " + listed,
      "git add" + paths + " && git commit -m 'storkit: setup'");
}

// The gate's program: a path in the repository must be committed with its executable bit (a
// worktree gets only what is committed); a bare name must be on the PATH.
void check_gate(const std::filesystem::path& root, const ProjectConfig& config,
                const std::string& base, DoctorReport& report) {
  const std::string& gate = config.gate_command;
  const std::string program = gate.substr(0, gate.find_first_of(" \t"));
  const std::string check = "gate (" + gate + ")";
  if (program.find('/') == std::string::npos || program.front() == '/') {
    if (resolve_program(program, root).empty()) {
      add(report, Level::Error, check, "'" + program + "' is not an executable on the PATH",
          "install it, or set gate_command in .storkit/project.toml");
    } else {
      add(report, Level::Ok, check, "'" + program + "' runs");
    }
    return;
  }
  std::string path = program.rfind("./", 0) == 0 ? program.substr(2) : program;
  auto entry = git(root, {"ls-tree", base, "--", path});
  if (!entry || entry->empty()) {
    const bool on_disk = std::filesystem::exists(root / path);
    add(report, Level::Error, check,
        path + " is not committed on " + base + (on_disk ? " (it exists, uncommitted)" : ""),
        on_disk ? "git add " + path + " && git commit -m 'storkit: gate'"
                : "write the gate script (it runs your tests) and commit it");
    return;
  }
  if (entry->rfind("100755", 0) != 0) {
    add(report, Level::Error, check,
        path + " is committed without its executable bit: the gate would exit 126",
        "chmod +x " + path + " && git update-index --chmod=+x " + path + " && git commit -m " +
            "'storkit: gate executable'");
    return;
  }
  add(report, Level::Ok, check, path + " is committed and executable");
}

void check_identity(const std::filesystem::path& root, DoctorReport& report) {
  auto name = git(root, {"config", "--get", "user.name"});
  auto email = git(root, {"config", "--get", "user.email"});
  const bool env_name = getenv("GIT_AUTHOR_NAME") != nullptr;    // NOLINT(concurrency-mt-unsafe)
  const bool env_email = getenv("GIT_AUTHOR_EMAIL") != nullptr;  // NOLINT(concurrency-mt-unsafe)
  if ((name || env_name) && (email || env_email)) {
    add(report, Level::Ok, "git identity",
        name && email ? *name + " <" + *email + ">" : "from GIT_AUTHOR_* variables");
    return;
  }
  std::string fix;
  if (!name && !env_name) fix += "git config --global user.name 'Your Name'";
  if (!email && !env_email) {
    if (!fix.empty()) fix += " && ";
    fix += "git config --global user.email you@example.org";
  }
  add(report, Level::Error, "git identity",
      "no git user.name/user.email: every agent commit would fail", fix);
}

void check_worktree_directory(const std::filesystem::path& root, DoctorReport& report) {
  const auto dir = root / ".storkit" / "worktrees";
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error || ::access(dir.c_str(), W_OK) != 0) {
    add(report, Level::Error, "worktree directory",
        dir.string() + " is not writable" + (error ? ": " + error.message() : ""),
        "make it writable by the user that runs stork");
    return;
  }
  add(report, Level::Ok, "worktree directory", dir.string() + " is writable");
}

}  // namespace

void check_repository(const std::filesystem::path& root, const ProjectConfig& config,
                      DoctorReport& report) {
  if (!git(root, {"rev-parse", "--git-dir"})) {
    add(report, Level::Error, "repository", root.string() + " is not a git repository",
        "git init, then commit your code");
    return;
  }
  check_identity(root, report);
  check_worktree_directory(root, report);
  auto base = check_base_branch(root, config, report);
  if (!base) return;
  check_committed_setup(root, *base, report);
  check_setup_clean(root, report);
  check_gate(root, config, *base, report);
}

}  // namespace stork::ops::doctor
