#include "base/wait_group.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace stork {
namespace asio = boost::asio;

struct WaitGroupState {
  mutable std::mutex mutex;
  std::size_t count = 0;
  std::vector<std::function<void()>> waiters;  // called when count next reaches zero

  void release() {
    std::vector<std::function<void()>> ready;
    {
      std::lock_guard lock(mutex);
      if (--count != 0) return;
      ready.swap(waiters);
    }
    for (auto& waiter : ready)
      waiter();
  }

  void on_zero(std::function<void()> callback) {
    {
      std::lock_guard lock(mutex);
      if (count != 0) {
        waiters.push_back(std::move(callback));
        return;
      }
    }
    callback();
  }
};

WaitGroup::Token& WaitGroup::Token::operator=(Token&& other) noexcept {
  if (this != &other) {
    release();
    state_ = std::move(other.state_);
  }
  return *this;
}

void WaitGroup::Token::release() {
  if (auto state = std::move(state_)) state->release();
}

WaitGroup::WaitGroup() : state_(std::make_shared<WaitGroupState>()) {}

WaitGroup::Token WaitGroup::add() {
  {
    std::lock_guard lock(state_->mutex);
    ++state_->count;
  }
  return Token(state_);
}

std::size_t WaitGroup::count() const {
  std::lock_guard lock(state_->mutex);
  return state_->count;
}

void WaitGroup::on_zero(std::function<void()> callback) const {
  state_->on_zero(std::move(callback));
}

asio::awaitable<void> WaitGroup::wait() const {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
      [state = state_](auto handler) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        state->on_zero([shared] {
          auto resume_on = asio::get_associated_executor(*shared);
          asio::post(resume_on, [shared]() mutable { std::move (*shared)(); });
        });
      },
      asio::use_awaitable);
}

namespace {

// One wait_for: whichever of "count reached zero" and "timer fired" claims it first completes
// the waiter. The timer is only touched on its own strand, and is not started once claimed, so
// a finished wait leaves no timer behind to keep the io_context busy.
template <class Handler>
struct TimedWait {
  TimedWait(const asio::any_io_executor& executor, Handler done)
      : strand(asio::make_strand(executor)), timer(strand), handler(std::move(done)) {}

  static void complete(const std::shared_ptr<TimedWait>& wait, bool drained) {
    if (wait->claimed.exchange(true)) return;
    auto resume_on = asio::get_associated_executor(wait->handler);
    asio::post(resume_on, [wait, drained]() mutable { std::move(wait->handler)(drained); });
  }

  asio::strand<asio::any_io_executor> strand;
  asio::steady_timer timer;
  Handler handler;
  std::atomic<bool> claimed{false};
};

}  // namespace

asio::awaitable<bool> WaitGroup::wait_for(std::chrono::steady_clock::duration limit) const {
  auto executor = co_await asio::this_coro::executor;
  // Named, not a temporary in the co_await: GCC 12 destroys such a temporary twice
  // (strand_call.hpp).
  auto initiation = [state = state_, executor, limit](auto handler) {
    using Wait = TimedWait<decltype(handler)>;
    auto wait = std::make_shared<Wait>(executor, std::move(handler));
    asio::post(wait->strand, [wait, limit] {
      if (wait->claimed) return;
      wait->timer.expires_after(limit);
      wait->timer.async_wait([wait](boost::system::error_code error) {
        if (!error) Wait::complete(wait, false);
      });
    });
    // Weak: a wait that timed out must not keep its timer alive in the group's waiters, past
    // the io_context the timer belongs to (the timer's own handler holds it while it matters).
    state->on_zero([weak = std::weak_ptr<Wait>(wait)] {
      auto live = weak.lock();
      if (!live) return;
      Wait::complete(live, true);
      asio::post(live->strand, [live] { live->timer.cancel(); });
    });
  };
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(bool)>(
      std::move(initiation), asio::use_awaitable);
}

}  // namespace stork
