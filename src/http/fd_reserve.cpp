#include "http/fd_reserve.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace stork::http::detail {

namespace {

int open_spare() {
  return ::open("/dev/null", O_RDONLY | O_CLOEXEC);  // NOLINT(cppcoreguidelines-pro-type-vararg)
}

}  // namespace

FdReserve::FdReserve() : fd_(open_spare()) {}

FdReserve::~FdReserve() {
  if (fd_ >= 0) ::close(fd_);
}

bool FdReserve::shed_one(int listener) {
  if (fd_ >= 0) ::close(fd_);
  const int accepted = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (accepted >= 0) ::close(accepted);
  fd_ = open_spare();
  return accepted >= 0;
}

}  // namespace stork::http::detail
