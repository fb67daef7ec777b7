// Calls into an actor (state owned by one strand) from any coroutine:
//   call_on(strand, start)    runs `start(done)` on the strand; the caller resumes, on its own
//                             executor, with the value `start` later passes to `done` (at once,
//                             or after a wait the actor keeps).
//   spawn_on(strand, op)      runs the coroutine `op()` on the strand; the caller resumes with
//                             its result, or with the exception it threw rethrown.
// These are the only strand hops in stork: the agent pool and the pipeline are actors built on
// them. Built on async_initiate (no nested co_spawn result: GCC 12 mishandles non-trivial ones).
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace stork {

// What an actor calls, once, with the answer to a call_on.
template <class T>
using Done = std::function<void(T)>;

template <class T, class Executor, class Start>
boost::asio::awaitable<T> call_on(const Executor& strand, Start start) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(T)>(
      [strand, start = std::move(start)](auto handler) mutable {
        boost::asio::dispatch(
            strand, [start = std::move(start), handler = std::move(handler)]() mutable {
              auto shared = std::make_shared<decltype(handler)>(std::move(handler));
              start(Done<T>([shared](T value) {
                auto resume_on = boost::asio::get_associated_executor(*shared);
                boost::asio::post(resume_on, [shared, value = std::move(value)]() mutable {
                  std::move (*shared)(std::move(value));
                });
              }));
            });
      },
      boost::asio::use_awaitable);
}

// call_on for answers without a value: `start` receives a std::function<void()>.
template <class Executor, class Start>
boost::asio::awaitable<void> call_on_void(const Executor& strand, Start start) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void()>(
      [strand, start = std::move(start)](auto handler) mutable {
        boost::asio::dispatch(
            strand, [start = std::move(start), handler = std::move(handler)]() mutable {
              auto shared = std::make_shared<decltype(handler)>(std::move(handler));
              start(std::function<void()>([shared] {
                auto resume_on = boost::asio::get_associated_executor(*shared);
                boost::asio::post(resume_on, [shared]() mutable { std::move (*shared)(); });
              }));
            });
      },
      boost::asio::use_awaitable);
}

namespace detail {

// spawn_on's hop, as a plain function: the initiation lambda (which owns the operation) must
// not be a temporary of a co_await in a coroutine, or GCC 12 destroys it twice (the operation's
// captures are freed while the strand still runs it; seen under ASan).
template <class T, class Executor>
boost::asio::awaitable<std::optional<T>> spawn_on_optional(
    const Executor& strand, std::function<boost::asio::awaitable<T>()>& operation) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                     void(std::exception_ptr, std::optional<T>)>(
      [strand, operation = std::move(operation)](auto handler) mutable {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        boost::asio::co_spawn(
            strand,
            [operation = std::move(operation), shared]() -> boost::asio::awaitable<void> {
              auto resume_on = boost::asio::get_associated_executor(*shared);
              std::optional<T> value;
              std::exception_ptr error;
              try {
                value.emplace(co_await operation());
              } catch (...) {
                error = std::current_exception();
              }
              boost::asio::post(resume_on, [shared, error, value = std::move(value)]() mutable {
                std::move (*shared)(error, std::move(value));
              });
            },
            boost::asio::detached);
      },
      boost::asio::use_awaitable);
}

}  // namespace detail

// The result travels as an optional (empty only with an exception): co_spawn's own completion
// wants a default-constructible value, which Result<> is not. (References: the caller passes a
// named operation, so no temporary spans its co_await; GCC 12.)
template <class T, class Executor>
boost::asio::awaitable<T> spawn_on(const Executor& strand,
                                   std::function<boost::asio::awaitable<T>()>& operation) {
  auto result = co_await detail::spawn_on_optional<T>(strand, operation);
  co_return std::move(*result);
}

// spawn_on for coroutines without a value.
template <class Executor>
boost::asio::awaitable<void> spawn_on_void(const Executor& strand,
                                           std::function<boost::asio::awaitable<void>()>& op) {
  std::function<boost::asio::awaitable<bool>()> flagged =
      // A copy, not a move: clang-tidy 14 reads the coroutine's own use of `op` as unsequenced
      // with a move here.
      [operation = op]() -> boost::asio::awaitable<bool> {
    co_await operation();
    co_return true;
  };
  (void)co_await spawn_on<bool>(strand, flagged);
}

}  // namespace stork
