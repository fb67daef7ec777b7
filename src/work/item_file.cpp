#include "work/item_file.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stork {
namespace {

std::string kind_of(mode_t mode) {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

WorkError refused(const std::filesystem::path& path, const std::string& why) {
  return WorkError{WorkErrorKind::Io, path.string() + ": " + why, path};
}

std::string not_regular(mode_t mode) {
  return kind_of(mode) + "; item files must be regular files inside the repository";
}

}  // namespace

std::optional<std::string> not_an_item_file(const std::filesystem::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return std::string(std::strerror(errno));
  if (S_ISREG(info.st_mode)) return std::nullopt;
  return not_regular(info.st_mode);
}

Result<std::string, WorkError> read_item_file(const std::filesystem::path& path,
                                              std::uint64_t max_bytes) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: a symlink fails (ELOOP).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    const int error = errno;
    if (error == ELOOP) return fail(refused(path, not_regular(S_IFLNK)));
    return fail(refused(path, "cannot open: " + std::string(std::strerror(error))));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) return fail(refused(path, std::strerror(errno)));
  if (!S_ISREG(info.st_mode)) return fail(refused(path, not_regular(info.st_mode)));
  if (static_cast<std::uint64_t>(info.st_size) > max_bytes) {
    return fail(refused(path, std::to_string(info.st_size) + " bytes, over the limit of " +
                                  std::to_string(max_bytes) +
                                  " for an item file ([limits] item_file_bytes)"));
  }
  std::string text;
  text.resize(static_cast<std::size_t>(info.st_size));
  std::size_t done = 0;
  while (done < text.size()) {
    const auto got = ::read(fd, text.data() + done, text.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return fail(refused(path, "cannot read: " + std::string(std::strerror(errno))));
    if (got == 0) break;  // shrank while we read
    done += static_cast<std::size_t>(got);
  }
  text.resize(done);
  return text;
}

}  // namespace stork
