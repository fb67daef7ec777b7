#include "state/append_file.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace stork::state {

StateError errno_error(std::string_view what, const std::filesystem::path& path, int err) {
  return {std::string(what) + " " + path.string() + ": " + std::strerror(err), 0};
}

StateResult<void> write_all(int fd, std::string_view data, const std::filesystem::path& path) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return fail(errno_error("cannot write", path, errno));
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return {};
}

StateResult<void> append_to_file(const std::filesystem::path& path, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return fail(errno_error("cannot open", path, errno));
  auto written = write_all(fd, data, path);
  if (::close(fd) != 0 && written) return fail(errno_error("cannot close", path, errno));
  return written;
}

}  // namespace stork::state
