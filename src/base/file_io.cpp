#include "base/file_io.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stork {
namespace {

IoError errno_error(std::string_view what, const std::filesystem::path& path, int err) {
  return {std::string(what) + " " + path.string() + ": " + std::strerror(err)};
}

// A temporary name beside `target` (same directory, so the final rename stays atomic).
std::filesystem::path temp_path_for(const std::filesystem::path& target) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  auto name = "." + target.filename().string() + ".tmp" + std::to_string(rng() % 1000000007);
  return target.parent_path() / name;
}

IoResult<void> write_all_and_sync(int fd, std::string_view contents,
                                  const std::filesystem::path& path) {
  const char* data = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errno_error("cannot write", path, errno));
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail(errno_error("cannot sync", path, errno));
  return {};
}

// Writes `contents` into a fresh temporary file beside `target`; returns its path.
IoResult<std::filesystem::path> write_temp(const std::filesystem::path& target,
                                           std::string_view contents, mode_t mode) {
  auto tmp = temp_path_for(target);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return fail(errno_error("cannot create", tmp, errno));
  auto written = write_all_and_sync(fd, contents, tmp);
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    return fail(std::move(written).take_error());
  }
  return tmp;
}

}  // namespace

IoResult<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(errno_error("cannot read", path, errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return fail(errno_error("cannot read", path, errno));
  return std::move(buffer).str();
}

IoResult<void> write_file_atomic(const std::filesystem::path& path, std::string_view contents) {
  mode_t mode = 0644;
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0) mode = existing.st_mode & 07777;
  auto tmp = write_temp(path, contents, mode);
  if (!tmp) return fail(std::move(tmp).take_error());
  if (::rename(tmp->c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp->c_str());
    return fail(errno_error("cannot replace", path, err));
  }
  return {};
}

IoResult<void> create_file_exclusive(const std::filesystem::path& path, std::string_view contents) {
  auto tmp = write_temp(path, contents, 0644);
  if (!tmp) return fail(std::move(tmp).take_error());
  auto renamed = rename_no_replace(*tmp, path);
  if (!renamed) ::unlink(tmp->c_str());
  return renamed;
}

IoResult<void> rename_no_replace(const std::filesystem::path& from,
                                 const std::filesystem::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0) {
    int err = errno;
    if (err == EEXIST) {
      return fail(IoError{"cannot move " + from.string() + " to " + to.string() +
                          ": the target already exists"});
    }
    return fail(errno_error("cannot move " + from.string() + " to", to, err));
  }
  return {};
}

}  // namespace stork
