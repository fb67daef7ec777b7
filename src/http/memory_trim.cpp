#include "http/memory_trim.hpp"

#include <boost/asio/post.hpp>
#include <malloc.h>
#include <spdlog/spdlog.h>

namespace stork::http::detail {

namespace {

// A burst: this many disconnects, then this long without one.
constexpr std::size_t kBurst = 8;
constexpr std::chrono::milliseconds kQuiet{500};

}  // namespace

MemoryTrim::MemoryTrim(const boost::asio::any_io_executor& executor)
    : strand_(boost::asio::make_strand(executor)), timer_(strand_) {}

void MemoryTrim::disconnected() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    ++self->since_trim_;
    if (self->since_trim_ >= kBurst) self->arm();
  });
}

void MemoryTrim::arm() {
  // Each disconnect of the burst pushes the trim back (the previous wait ends aborted).
  timer_.expires_after(kQuiet);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code error) {
    if (error || self->since_trim_ < kBurst) return;
    spdlog::debug("http: {} clients left; returning free memory to the system", self->since_trim_);
    self->since_trim_ = 0;
    ::malloc_trim(0);
  });
}

}  // namespace stork::http::detail
