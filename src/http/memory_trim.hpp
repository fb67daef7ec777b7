// MemoryTrim: gives freed memory back to the system after a burst of disconnects. glibc keeps
// what a few hundred clients' queues and buffers used in its arenas after they are freed, so
// the server's RSS would stay at its peak; malloc_trim(0) returns the free pages. Called once a
// burst is over (no disconnect for a moment), not per connection, since a trim walks the heap.
// Internal to the server; thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

namespace stork::http::detail {

class MemoryTrim : public std::enable_shared_from_this<MemoryTrim> {
 public:
  explicit MemoryTrim(const boost::asio::any_io_executor& executor);

  void disconnected();  // any thread

 private:
  void arm();  // on strand_

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer timer_;
  std::size_t since_trim_ = 0;  // on strand_
};

}  // namespace stork::http::detail
