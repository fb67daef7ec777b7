#include "app/serve_lock.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/subprocess.hpp"

namespace stork::app {
namespace {

constexpr const char* kLockPath = ".storkit/serve.lock";

std::string error_text(int error) {
  return std::generic_category().message(error);
}

// "pid 1234 on port 3000 (http://127.0.0.1:3000)" from what the holder recorded.
std::string describe_holder(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string key;
  long pid = 0;
  long port = 0;
  while (in >> key) {
    if (key == "pid") in >> pid;
    if (key == "port") in >> port;
  }
  if (pid <= 0) return "another stork serve (still starting)";
  std::string text = "another stork serve (pid " + std::to_string(pid) + ")";
  if (port > 0)
    text += " on port " + std::to_string(port) + " (http://127.0.0.1:" + std::to_string(port) + ")";
  return text;
}

// Existing projects' .storkit/.gitignore predates the lock file: keep it out of `git status`
// through the repository's own exclude file, which is never committed.
void keep_out_of_git(const std::filesystem::path& root) {
  Command ignored;
  ignored.argv = {"git", "-C", root.string(), "check-ignore", "-q", kLockPath};
  auto checked = run_command(ignored);
  if (!checked.ok() || checked.value().exit_code != 1) return;  // ignored, or not a repository
  Command where;
  where.argv = {"git", "-C", root.string(), "rev-parse", "--git-path", "info/exclude"};
  auto path = run_command(where);
  if (!path.ok() || !path.value().succeeded()) return;
  std::string exclude = path.value().out.substr(0, path.value().out.find('\n'));
  std::filesystem::path file = exclude;
  if (file.is_relative()) file = root / file;
  std::error_code error;
  std::filesystem::create_directories(file.parent_path(), error);
  std::ofstream(file, std::ios::app) << "/" << kLockPath << "\n";
}

}  // namespace

Result<ServeLock, std::string> ServeLock::acquire(const std::filesystem::path& project_root) {
  const auto path = project_root / kLockPath;
  proc::UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!fd.valid()) return fail(path.string() + ": " + error_text(errno));
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if (error != EWOULDBLOCK) return fail(path.string() + ": flock: " + error_text(error));
    return fail(describe_holder(path) + " already serves " + project_root.string() +
                ": use that one (the stork CLI finds it through .mcp.json), or stop it first");
  }
  keep_out_of_git(project_root);
  return ServeLock(std::move(fd));
}

void ServeLock::record(int port) const {
  const std::string text =
      "pid " + std::to_string(::getpid()) + "\nport " + std::to_string(port) + "\n";
  if (::ftruncate(fd_.get(), 0) != 0) return;
  // Best effort: the lock itself is what keeps a second server out; this only names us.
  (void)!::pwrite(fd_.get(), text.data(), text.size(), 0);
}

}  // namespace stork::app
