#include "http/fd_reserve.hpp"

#include <cerrno>

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

FdReserve::Shed FdReserve::shed_one(int listener) {
  if (fd_ >= 0) ::close(fd_);
  const int accepted = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  const int error = errno;
  if (accepted >= 0) ::close(accepted);
  fd_ = open_spare();
  if (accepted >= 0) return Shed::One;
  return error == EAGAIN || error == EWOULDBLOCK ? Shed::NothingWaiting : Shed::Failed;
}

}  // namespace stork::http::detail
