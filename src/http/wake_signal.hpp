// WakeSignal: how a thread-safe producer (EventStream, WsClient) wakes the coroutine that
// drains it. The coroutine, on its strand, takes what is pending and then waits; the
// producer's waker posts a "wake" to that strand. Because taking and starting to wait happen in
// one strand handler, and every wake runs on the strand afterwards, no wake is lost: either the
// take saw the data or the wait is cancelled. Internal to the server.
#pragma once

#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace stork::http::detail {

class WakeSignal : public std::enable_shared_from_this<WakeSignal> {
 public:
  explicit WakeSignal(boost::asio::any_io_executor strand);

  // A callable for any thread. It keeps nothing alive: once the signal is gone it does nothing.
  std::function<void()> waker();
  // On the strand: suspends until the next wake. A wake that came while nobody waited is not
  // remembered, so callers take their pending work right before waiting.
  boost::asio::awaitable<void> wait();
  void notify();  // on the strand
  // On the strand: `hook` runs on the strand at every wake from waker(); cleared with {}.
  void set_hook(std::function<void()> hook) { hook_ = std::move(hook); }

 private:
  boost::asio::any_io_executor strand_;
  boost::asio::steady_timer timer_;
  std::function<void()> hook_;
};

}  // namespace stork::http::detail
