// FdReserve: one spare file descriptor, so that running out of descriptors (EMFILE) does not
// leave connections waiting in the listen backlog while accept fails over and over. On EMFILE
// the accept loop gives the spare back, accepts the waiting connection, closes it at once (the
// client sees the connection closed instead of hanging), and takes the spare again.
// Internal to the server; on the acceptor's strand.
#pragma once

namespace stork::http::detail {

class FdReserve {
 public:
  FdReserve();  // opens /dev/null
  ~FdReserve();
  FdReserve(const FdReserve&) = delete;
  FdReserve& operator=(const FdReserve&) = delete;

  enum class Shed {
    One,             // a waiting connection was accepted and closed
    NothingWaiting,  // the backlog is empty (accept fails with EMFILE before looking at it)
    Failed,          // no descriptor could be freed (the spare is gone) or another error
  };
  // Closes the spare, accepts one connection on `listener` (non-blocking) and closes it, then
  // reopens the spare.
  Shed shed_one(int listener);

 private:
  int fd_ = -1;
};

}  // namespace stork::http::detail
