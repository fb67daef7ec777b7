#include "http/wake_signal.hpp"

#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace stork::http::detail {

namespace asio = boost::asio;

WakeSignal::WakeSignal(asio::any_io_executor strand)
    : strand_(std::move(strand)), timer_(strand_, asio::steady_timer::time_point::max()) {}

std::function<void()> WakeSignal::waker() {
  return [weak = weak_from_this(), strand = strand_] {
    asio::post(strand, [weak] {
      if (auto self = weak.lock()) {
        self->notify();
        if (self->hook_) self->hook_();
      }
    });
  };
}

asio::awaitable<void> WakeSignal::wait() {
  timer_.expires_at(asio::steady_timer::time_point::max());
  co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
}

void WakeSignal::notify() {
  timer_.cancel();
}

}  // namespace stork::http::detail
