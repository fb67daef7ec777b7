// The bwrap sandbox (proc/sandbox.hpp) on a real repository and worktree: what its command line
// says, and what a command inside can and cannot do. Each behaviour is checked against the
// same command run without the sandbox where that is safe, so the test can fail.
#include "proc/sandbox.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process_test_support.hpp"
#include "support/git_fixture.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace stork::proc {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ProcessRun;
using namespace std::chrono_literals;

std::string file_text(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class Sandbox : public ::testing::Test {
 protected:
  void SetUp() override {
    stork::testing::init_repo(repo_);
    stork::testing::git(repo_,
                        {"worktree", "add", "-q", "-b", "feature/story-1", worktree_.string()});
  }

  // `script` under bash in `where` (the worktree unless given), sandboxed unless `policy` is
  // null; its output lines.
  ProcessRun& run(const std::string& script, const SandboxPolicy* policy = nullptr,
                  const fs::path& where = {}) {
    SpawnOptions options;
    options.argv = {"bash", "-c", script + " 2>&1"};
    options.cwd = where.empty() ? worktree_ : where;
    if (policy != nullptr) {
      auto wrapped = sandboxed_argv(options.cwd, *policy, options.argv);
      EXPECT_TRUE(wrapped.ok()) << wrapped.error();
      if (wrapped.ok()) options.argv = wrapped.value();
    }
    auto& run = runs_.emplace_back(std::make_unique<ProcessRun>());
    EXPECT_TRUE(run->spawn(options).ok());
    EXPECT_TRUE(run->wait_for_exit(20s));
    return *run;
  }

  std::string output(const ProcessRun& run) const {
    std::string text;
    for (const auto& line : run.lines)
      text += line + "\n";
    return text;
  }

  stork::testing::TempDir dir_;
  fs::path repo_ = dir_ / "repo";
  fs::path worktree_ = dir_ / "repo/.storkit/worktrees/1";
  std::vector<std::unique_ptr<ProcessRun>> runs_;
};

TEST_F(Sandbox, PathsComeFromTheWorktreesGitFile) {
  auto paths = sandbox_paths(worktree_);
  ASSERT_TRUE(paths.ok()) << paths.error();
  EXPECT_EQ(paths.value().work_dir, fs::canonical(worktree_));
  EXPECT_EQ(paths.value().git_common_dir, fs::canonical(repo_ / ".git"));
  EXPECT_EQ(paths.value().git_dir, fs::canonical(repo_ / ".git/worktrees/1"));
}

TEST_F(Sandbox, ADirectoryThatIsNoCheckoutIsRefusedNamingIt) {
  const fs::path plain = dir_ / "plain";
  fs::create_directories(plain);
  auto paths = sandbox_paths(plain);
  ASSERT_FALSE(paths.ok());
  EXPECT_THAT(paths.error(), HasSubstr((fs::canonical(plain) / ".git").string()));
  EXPECT_THAT(paths.error(), HasSubstr("neither a repository nor a linked worktree"));
}

// The project root (the wizard's drafts, the project chat): by default nothing in it changes.
TEST_F(Sandbox, AMainCheckoutIsReadOnly_ItsGitToo) {
  auto paths = sandbox_paths(repo_);
  ASSERT_TRUE(paths.ok()) << paths.error();
  EXPECT_EQ(paths.value().git_common_dir, fs::canonical(repo_) / ".git");
  EXPECT_TRUE(paths.value().git_dir.empty());
  const std::string head = stork::testing::git(repo_, {"rev-parse", "HEAD"});
  const SandboxPolicy policy;
  const std::string script =
      "cat README.md >/dev/null && echo read; echo x > new.txt; git commit -q --allow-empty -m "
      "inside; git config core.hooksPath /tmp/evil; exit 0";
  auto& done = run(script, &policy, repo_);
  EXPECT_THAT(output(done), HasSubstr("read"));
  EXPECT_THAT(output(done), HasSubstr("Read-only file system"));
  EXPECT_FALSE(fs::exists(repo_ / "new.txt"));
  EXPECT_EQ(stork::testing::git(repo_, {"rev-parse", "HEAD"}), head);
  EXPECT_THAT(file_text(repo_ / ".git/config"), Not(HasSubstr("hooksPath")));
  // The same script without the sandbox does all three, so the checks above can fail.
  run(script, nullptr, repo_);
  EXPECT_TRUE(fs::exists(repo_ / "new.txt"));
  EXPECT_NE(stork::testing::git(repo_, {"rev-parse", "HEAD"}), head);
}

// The wizard's gate draft may build in the project root, but never commit or configure git.
TEST_F(Sandbox, AWritableMainCheckoutStillKeepsItsGitReadOnly) {
  const std::string head = stork::testing::git(repo_, {"rev-parse", "HEAD"});
  SandboxPolicy policy;
  policy.main_checkout_writable = true;
  auto& done =
      run("echo x > built.txt && echo built; git commit -q --allow-empty -m inside; "
          "touch .git/hooks/pre-commit; exit 0",
          &policy, repo_);
  EXPECT_THAT(output(done), HasSubstr("built"));
  EXPECT_TRUE(fs::exists(repo_ / "built.txt"));
  EXPECT_EQ(stork::testing::git(repo_, {"rev-parse", "HEAD"}), head);
  EXPECT_FALSE(fs::exists(repo_ / ".git/hooks/pre-commit"));
}

TEST_F(Sandbox, CommandLineBindsOnlyTheWorktreeAndWhatACommitWrites) {
  auto paths = sandbox_paths(worktree_);
  ASSERT_TRUE(paths.ok());
  const auto argv = bwrap_argv(paths.value(), SandboxPolicy{}, {"true"});
  const auto common = fs::canonical(repo_ / ".git").string();
  std::vector<std::string> writable;
  for (std::size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] == "--bind" || argv[i] == "--bind-try") writable.push_back(argv[i + 1]);
  }
  EXPECT_EQ(writable, (std::vector<std::string>{fs::canonical(worktree_).string(),
                                                common + "/objects", common + "/refs",
                                                common + "/logs", common + "/worktrees/1"}));
  EXPECT_EQ(argv.front(), "bwrap");
  EXPECT_NE(std::find(argv.begin(), argv.end(), "--unshare-net"), argv.end());
  EXPECT_NE(std::find(argv.begin(), argv.end(), "--die-with-parent"), argv.end());
  EXPECT_EQ(argv.back(), "true");
  SandboxPolicy networked;
  networked.network = true;
  const auto with_network = bwrap_argv(paths.value(), networked, {"true"});
  EXPECT_EQ(std::find(with_network.begin(), with_network.end(), "--unshare-net"),
            with_network.end());
}

TEST_F(Sandbox, ACommitInTheWorktreeWorks) {
  const SandboxPolicy policy;
  auto& done = run("echo hi > f && git add f && git commit -qm inside && echo committed", &policy);
  ASSERT_TRUE(done.status && done.status->succeeded()) << output(done);
  EXPECT_EQ(stork::testing::git(repo_, {"log", "-1", "--format=%s", "feature/story-1"}),
            "inside\n");
}

TEST_F(Sandbox, TheRepositoryConfigAndEverythingOutsideTheWorktreeStayUnchanged) {
  const SandboxPolicy policy;
  const std::string script = "git config core.hooksPath /tmp/evil; echo x > '" +
                             (repo_ / "outside.txt").string() + "'; touch '" +
                             (repo_ / ".git/hooks/pre-commit").string() + "'; exit 0";
  run(script, &policy);
  EXPECT_FALSE(fs::exists(repo_ / "outside.txt"));
  EXPECT_FALSE(fs::exists(repo_ / ".git/hooks/pre-commit"));
  EXPECT_THAT(file_text(repo_ / ".git/config"), Not(HasSubstr("hooksPath")));
  // The same script without the sandbox does all three: the checks above can fail.
  run(script);
  EXPECT_TRUE(fs::exists(repo_ / "outside.txt"));
  EXPECT_THAT(file_text(repo_ / ".git/config"), HasSubstr("hooksPath"));
}

TEST_F(Sandbox, HomeIsEmptyAndWritableAndGoneAfterwards) {
  const char* home = std::getenv("HOME");  // NOLINT(concurrency-mt-unsafe)
  ASSERT_NE(home, nullptr);
  const SandboxPolicy policy;
  auto& listed =
      run("ls -A \"$HOME\" | wc -l; touch \"$HOME/stork-sandbox-probe\" && echo ok", &policy);
  ASSERT_EQ(listed.lines.size(), 2U) << output(listed);
  EXPECT_EQ(listed.lines[0], "0");
  EXPECT_EQ(listed.lines[1], "ok");
  EXPECT_FALSE(fs::exists(fs::path(home) / "stork-sandbox-probe"));
}

// A port this process listens on, outside any sandbox.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), size);
    ::listen(fd_, 8);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
  }
  ~Listener() { ::close(fd_); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST_F(Sandbox, NoNetworkUnlessThePolicyAllowsIt_AndTheHintNamesSandboxNetwork) {
  Listener listener;
  ASSERT_GT(listener.port(), 0);
  const std::string reach = "python3 -c \"import socket; socket.create_connection(('127.0.0.1', " +
                            std::to_string(listener.port()) + ")); print('reached')\"";
  const SandboxPolicy closed;
  auto& blocked = run(reach, &closed);
  EXPECT_THAT(output(blocked), Not(HasSubstr("reached")));
  EXPECT_THAT(network_hint(output(blocked)), HasSubstr("sandbox_network = true"));
  SandboxPolicy open;
  open.network = true;
  auto& allowed = run(reach, &open);
  EXPECT_THAT(output(allowed), HasSubstr("reached"));
  EXPECT_EQ(network_hint(output(allowed)), "");
}

// Whether any process's command line holds `token`.
bool process_with(const std::string& token) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = file_text(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(token) != std::string::npos) return true;
  }
  return false;
}

// As ChildProcessLifetime.KillMinus9OfTheServerLeavesNoProcessBehind, with the command under
// bwrap: its PID namespace hides the pids, so the processes are found by a token in their
// command lines (bwrap's own holds it too).
TEST_F(Sandbox, KillMinus9OfTheServerLeavesNoSandboxedProcessBehind) {
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  const std::string token = "300." + std::to_string(std::random_device{}() % 100000 + 1);
  const auto marker = worktree_ / "started";
  const std::string script = "sleep " + token + " & setsid sleep " + token + " & echo up >> '" +
                             marker.string() + "'; wait";
  auto argv = sandboxed_argv(worktree_, SandboxPolicy{}, {"sh", "-c", script});
  ASSERT_TRUE(argv.ok()) << argv.error();
  std::vector<std::string> args = {PROC_TEST_HOST};
  args.insert(args.end(), argv.value().begin(), argv.value().end());
  std::vector<char*> raw;
  for (auto& arg : args)
    raw.push_back(arg.data());
  raw.push_back(nullptr);
  pid_t host = -1;
  ASSERT_EQ(::posix_spawn(&host, PROC_TEST_HOST, nullptr, nullptr, raw.data(), environ), 0);
  const bool started = testing::eventually([&] { return file_text(marker) == "up\nup\n"; }, 10s);
  const bool seen = process_with(token);  // the scan finds them while they run
  ::kill(host, SIGKILL);
  ::waitpid(host, nullptr, 0);
  ASSERT_TRUE(started) << file_text(marker);
  EXPECT_TRUE(seen);
  EXPECT_TRUE(testing::eventually([&] { return !process_with(token); }, 5s))
      << "a sandboxed process outlived the server";
  EXPECT_TRUE(testing::eventually(
      [] {
        while (::waitpid(-1, nullptr, WNOHANG) > 0) {
        }
        return ::waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD;
      },
      3s));
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
}

}  // namespace
}  // namespace stork::proc
