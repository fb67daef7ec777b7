#include "state/run_log.hpp"

#include <cerrno>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include "base/file_io.hpp"
#include "state/append_file.hpp"

namespace stork::state {
namespace {

// A name that becomes one path component must not climb out of, or reach across, the logs
// directory, whatever an agent or a request put in it.
StateResult<void> check_name(std::string_view what, std::string_view name) {
  std::string_view problem;
  if (name.empty()) {
    problem = "is empty";
  } else if (name.find('/') != std::string_view::npos) {
    problem = "contains '/'";
  } else if (name.find('\0') != std::string_view::npos) {
    problem = "contains a NUL byte";
  } else if (name.find("..") != std::string_view::npos) {
    problem = "contains \"..\"";
  } else if (name == ".") {
    problem = "is \".\"";
  }
  if (problem.empty()) return {};
  std::string shown(name);
  for (auto& c : shown) {
    if (c == '\0') c = '?';
  }
  return fail(StateError{"invalid " + std::string(what) + " name \"" + shown +
                             "\" for a run log: it " + std::string(problem),
                         0});
}

std::string file_name(std::string_view agent, std::string_view session) {
  return std::string(agent) + "-" + std::string(session) + ".log";
}

}  // namespace

StateResult<RunLog> RunLog::open(const std::filesystem::path& project_root, std::string_view story,
                                 std::string_view agent, std::string_view session) {
  for (auto [what, name] : {std::pair{"story", story}, {"agent", agent}, {"session", session}}) {
    if (auto checked = check_name(what, name); !checked) {
      return fail(std::move(checked).take_error());
    }
  }
  auto dir = project_root / ".storkit" / "logs" / std::string(story);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(StateError{"cannot create " + dir.string() + ": " + ec.message(), 0});
  auto path = dir / file_name(agent, session);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return fail(errno_error("cannot open", path, errno));
  return RunLog(fd, std::move(path), std::string(agent));
}

RunLog::~RunLog() {
  if (fd_ >= 0) ::close(fd_);
}

RunLog::RunLog(RunLog&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      agent_(std::move(other.agent_)),
      batch_(std::move(other.batch_)) {}

RunLog& RunLog::operator=(RunLog&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    agent_ = std::move(other.agent_);
    batch_ = std::move(other.batch_);
  }
  return *this;
}

StateResult<void> RunLog::append_lines(std::span<const std::string> lines) {
  batch_.clear();
  for (const auto& line : lines) {
    batch_ += line;
    batch_ += '\n';
  }
  return write_all(fd_, batch_, path_);
}

StateResult<void> RunLog::flush() {
  if (::fdatasync(fd_) != 0) return fail(errno_error("cannot sync", path_, errno));
  return {};
}

StateResult<void> RunLog::rename_to_session(std::string_view session_id) {
  if (auto checked = check_name("session", session_id); !checked) return checked;
  auto target = path_.parent_path() / file_name(agent_, session_id);
  if (target == path_) return {};
  // The descriptor follows the file: appends after the rename land in the renamed log.
  auto renamed = rename_no_replace(path_, target);
  if (!renamed) return fail(StateError{renamed.error().message, 0});
  path_ = std::move(target);
  return {};
}

}  // namespace stork::state
