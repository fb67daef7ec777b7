#include "proc/memory_file.hpp"

#include <cerrno>
#include <system_error>

#include <sys/mman.h>
#include <unistd.h>

namespace stork::proc {
namespace {

std::string error_text(int error) {
  return std::generic_category().message(error);
}

}  // namespace

Result<UniqueFd, std::string> memory_file(const char* name, std::string_view bytes) {
  UniqueFd file(::memfd_create(name, MFD_CLOEXEC));
  if (!file.valid()) return fail("memfd_create: " + error_text(errno));
  while (!bytes.empty()) {
    const ssize_t n = ::write(file.get(), bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("writing " + std::string(name) + ": " + error_text(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::lseek(file.get(), 0, SEEK_SET) < 0) return fail("lseek: " + error_text(errno));
  return file;
}

}  // namespace stork::proc
