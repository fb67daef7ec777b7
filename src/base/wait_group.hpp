// WaitGroup: counts outstanding work (open streams, running handlers, queued jobs) and wakes
// whoever waits for the count to reach zero, at once, without polling. Like Beast's examples'
// task_group: the mutex lives only inside this infrastructure type, never in domain code.
//
// Any thread may add, release or wait. Waiters resume on their own executor. Copies share one
// count (the state is reference-counted), so a token or a waiter may outlive the owner's copy.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

#include <boost/asio/awaitable.hpp>

namespace stork {

struct WaitGroupState;

class WaitGroup {
 public:
  // Held while one piece of work is outstanding; releasing (or destroying) it ends that work.
  class Token {
   public:
    Token() = default;
    ~Token() { release(); }
    Token(Token&& other) noexcept : state_(std::move(other.state_)) {}
    Token& operator=(Token&& other) noexcept;
    Token(const Token&) = delete;
    Token& operator=(const Token&) = delete;
    void release();

   private:
    friend class WaitGroup;
    explicit Token(std::shared_ptr<WaitGroupState> state) : state_(std::move(state)) {}
    std::shared_ptr<WaitGroupState> state_;
  };

  WaitGroup();

  Token add();
  std::size_t count() const;

  // Completes when the count is zero (at once if it is now).
  boost::asio::awaitable<void> wait() const;
  // Completes when the count is zero or after `limit`, whichever is first; true when zero.
  boost::asio::awaitable<bool> wait_for(std::chrono::steady_clock::duration limit) const;
  // Calls `callback` (on the releasing thread, outside the lock) when the count is next zero, or
  // at once if it is zero now. For code that is not a coroutine.
  void on_zero(std::function<void()> callback) const;

 private:
  std::shared_ptr<WaitGroupState> state_;
};

}  // namespace stork
