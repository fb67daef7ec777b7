#include "base/wait_group.hpp"

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <utility>

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
  std::uint64_t next_waiter = 1;
  std::map<std::uint64_t, std::function<void()>> waiters;  // called when count next reaches zero

  void release() {
    std::map<std::uint64_t, std::function<void()>> ready;
    {
      std::lock_guard lock(mutex);
      if (--count != 0) return;
      ready.swap(waiters);
    }
    for (auto& [id, waiter] : ready)
      waiter();
  }

  // The waiter's id, or 0 when `callback` ran at once (the count was zero).
  std::uint64_t on_zero(std::function<void()> callback) {
    {
      std::lock_guard lock(mutex);
      if (count != 0) {
        const auto id = next_waiter++;
        waiters.emplace(id, std::move(callback));
        return id;
      }
    }
    callback();
    return 0;
  }

  // A waiter that no longer wants its call (its wait timed out): dropped, outside the lock.
  void forget(std::uint64_t id) {
    std::function<void()> dropped;
    {
      std::lock_guard lock(mutex);
      auto found = waiters.find(id);
      if (found == waiters.end()) return;
      dropped = std::move(found->second);
      waiters.erase(found);
    }
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
  (void)state_->on_zero(std::move(callback));
}

asio::awaitable<void> WaitGroup::wait() const {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
      [state = state_](auto handler) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        (void)state->on_zero([shared] {
          auto resume_on = asio::get_associated_executor(*shared);
          asio::post(resume_on, [shared]() mutable { std::move (*shared)(); });
        });
      },
      asio::use_awaitable);
}

namespace {

// One wait_for: whichever of "count reached zero" and "timer fired" claims it first completes
// the waiter. The timer and the registration are only touched on the wait's strand, and the
// timer is not started once claimed, so a finished wait leaves no timer behind to keep the
// io_context busy; a wait that timed out takes its registration back, so nothing of it (its
// strand, its timer) stays in the group to outlive the io_context.
template <class Handler>
struct TimedWait {
  TimedWait(asio::any_io_executor executor, Handler done, std::weak_ptr<WaitGroupState> group)
      : strand(asio::make_strand(executor)),
        timer(strand),
        handler(std::move(done)),
        state(std::move(group)) {}

  static void complete(const std::shared_ptr<TimedWait>& wait, bool drained) {
    if (wait->claimed.exchange(true)) return;
    auto resume_on = asio::get_associated_executor(wait->handler);
    asio::post(resume_on, [wait, drained]() mutable { std::move(wait->handler)(drained); });
  }

  // On the strand: registers for the zero, then starts the timer unless already claimed.
  static void start(const std::shared_ptr<TimedWait>& wait,
                    std::chrono::steady_clock::duration limit) {
    auto group = wait->state.lock();
    if (!group) return complete(wait, true);  // nothing can be outstanding any more
    wait->waiter = group->on_zero([wait] {
      complete(wait, true);
      asio::post(wait->strand, [wait] { wait->timer.cancel(); });
    });
    if (wait->claimed) return;
    wait->timer.expires_after(limit);
    wait->timer.async_wait([wait](boost::system::error_code error) {
      if (error) return;
      complete(wait, false);
      if (auto live = wait->state.lock()) live->forget(wait->waiter);
    });
  }

  asio::strand<asio::any_io_executor> strand;
  asio::steady_timer timer;
  Handler handler;
  std::weak_ptr<WaitGroupState> state;
  std::uint64_t waiter = 0;  // the registration; on the strand only
  std::atomic<bool> claimed{false};
};

// Not a coroutine: the initiation lambda must not be a temporary of a co_await (GCC 12
// destroys such temporaries twice).
asio::awaitable<bool> timed_wait(const std::shared_ptr<WaitGroupState>& state,
                                 const asio::any_io_executor& executor,
                                 std::chrono::steady_clock::duration limit) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(bool)>(
      [group = std::weak_ptr<WaitGroupState>(state), executor, limit](auto handler) {
        using Wait = TimedWait<decltype(handler)>;
        auto wait = std::make_shared<Wait>(executor, std::move(handler), group);
        asio::post(wait->strand, [wait, limit] { Wait::start(wait, limit); });
      },
      asio::use_awaitable);
}

}  // namespace

asio::awaitable<bool> WaitGroup::wait_for(std::chrono::steady_clock::duration limit) const {
  auto executor = co_await asio::this_coro::executor;
  const bool drained = co_await timed_wait(state_, executor, limit);
  co_return drained;
}

}  // namespace stork
