#include "proc/sandbox.hpp"

#include <array>
#include <cstdlib>

#include "base/file_io.hpp"
#include "base/git_link.hpp"

namespace stork::proc {
namespace fs = std::filesystem;
namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

// The user's HOME, hidden inside the sandbox; "/" or a relative value hides nothing.
fs::path user_home() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): stork never sets environment variables after start.
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home != '/') return {};
  fs::path path = fs::path(home).lexically_normal();
  if (path == path.root_path()) return {};
  return path;
}

void add(std::vector<std::string>& argv, std::initializer_list<std::string_view> words) {
  for (auto word : words)
    argv.emplace_back(word);
}

void bind(std::vector<std::string>& argv, std::string_view how, const fs::path& path) {
  add(argv, {how, path.string(), path.string()});
}

}  // namespace

Result<SandboxPaths, std::string> sandbox_paths(const fs::path& work_dir) {
  SandboxPaths paths;
  std::error_code ec;
  paths.work_dir = fs::canonical(work_dir, ec);
  if (ec) return fail("the sandbox's work directory " + work_dir.string() + ": " + ec.message());
  const fs::path dot_git = paths.work_dir / ".git";
  paths.user_home = user_home();
  if (fs::is_directory(dot_git, ec) && !fs::is_symlink(dot_git, ec)) {
    paths.git_common_dir = dot_git;  // a main checkout: its .git stays read-only
    return paths;
  }
  if (!fs::is_regular_file(dot_git, ec)) {
    return fail(dot_git.string() +
                " is neither a repository nor a linked worktree's .git file: the sandbox "
                "confines commands to one git checkout");
  }
  auto git_dir = read_git_link(dot_git);
  if (!git_dir) return fail(std::move(git_dir).take_error());
  paths.git_dir = fs::canonical(*git_dir, ec);
  if (ec) return fail(dot_git.string() + ": gitdir " + git_dir->string() + ": " + ec.message());
  auto common = read_file(paths.git_dir / "commondir");
  if (!common) return fail((paths.git_dir / "commondir").string() + ": " + common.error().message);
  fs::path common_dir = trimmed(*common);
  if (common_dir.is_relative()) common_dir = paths.git_dir / common_dir;
  paths.git_common_dir = fs::canonical(common_dir, ec);
  if (ec) return fail(paths.git_dir.string() + "/commondir: " + ec.message());
  return paths;
}

std::vector<std::string> bwrap_argv(const SandboxPaths& paths, const SandboxPolicy& policy,
                                    const std::vector<std::string>& command) {
  std::vector<std::string> argv{std::string(kBwrapProgram)};
  // No --new-session: the command keeps stork's process group (the supervisor signals it) and
  // a PTY agent its controlling terminal.
  add(argv, {"--die-with-parent", "--unshare-pid"});
  if (!policy.network) add(argv, {"--unshare-net"});
  add(argv, {"--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"});
  if (!paths.user_home.empty()) add(argv, {"--tmpfs", paths.user_home.string()});
  // Later mounts go on top of earlier ones: the repository (it may lie under /tmp or HOME)
  // read-only, then the parts a commit in this worktree writes.
  for (const auto& path : policy.read_only)
    bind(argv, "--ro-bind-try", path);
  if (paths.git_dir.empty()) {
    bind(argv, policy.main_checkout_writable ? "--bind" : "--ro-bind", paths.work_dir);
    bind(argv, "--ro-bind", paths.git_common_dir);
  } else {
    bind(argv, "--ro-bind", paths.git_common_dir);
    bind(argv, "--bind", paths.work_dir);
    for (const char* part : {"objects", "refs"})
      bind(argv, "--bind", paths.git_common_dir / part);
    bind(argv, "--bind-try", paths.git_common_dir / "logs");
    bind(argv, "--bind", paths.git_dir);
  }
  fs::path home = paths.user_home.empty() ? fs::path("/tmp/home") : paths.user_home;
  if (!policy.home.empty()) {
    home = policy.home;
    bind(argv, "--bind", home);
  } else if (paths.user_home.empty()) {
    add(argv, {"--dir", home.string()});
  }
  add(argv, {"--setenv", "HOME", home.string(), "--setenv", "TMPDIR", "/tmp"});
  add(argv, {"--chdir", paths.work_dir.string(), "--"});
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

Result<std::vector<std::string>, std::string> sandboxed_argv(
    const fs::path& work_dir, const SandboxPolicy& policy,
    const std::vector<std::string>& command) {
  auto paths = sandbox_paths(work_dir);
  if (!paths.ok()) return fail(paths.error());
  if (!policy.home.empty()) {
    std::error_code ec;
    fs::create_directories(policy.home, ec);
    if (ec) return fail("the sandbox's home " + policy.home.string() + ": " + ec.message());
  }
  return bwrap_argv(paths.value(), policy, command);
}

std::string network_hint(const std::string& output) {
  static constexpr std::array<std::string_view, 9> kSigns = {"Connection refused",
                                                             "Network is unreachable",
                                                             "Could not resolve host",
                                                             "Temporary failure in name resolution",
                                                             "Name or service not known",
                                                             "ECONNREFUSED",
                                                             "ENETUNREACH",
                                                             "EAI_AGAIN",
                                                             "getaddrinfo"};
  for (auto sign : kSigns) {
    if (output.find(sign) != std::string::npos) {
      return "[stork: this ran in the bwrap sandbox without network; if it needs the network, "
             "set sandbox_network = true in .storkit/project.toml (docs/sandbox.md)]";
    }
  }
  return "";
}

}  // namespace stork::proc
