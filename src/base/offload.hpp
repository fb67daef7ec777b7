// offload(): run a blocking function on the app's shared worker pool and resume the calling
// coroutine on its own executor with the result. The one way stork moves blocking work (git,
// item files, SQLite reads of size, a curl transfer) off an io thread or a strand.
//
// Built on async_initiate rather than a nested co_spawn: no coroutine frame per call, and GCC
// 12 mishandles a co_spawn'ed awaitable's non-trivial result. GCC 12 also frees prvalues with
// destructors wrongly across a suspension: pass `work` as a named lvalue.
//
// `work` must not throw: an exception escaping it ends the process, as on any worker thread.
// Errors travel in its result (a Result<T, E>).
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace stork {

template <class Executor, class F>
boost::asio::awaitable<std::invoke_result_t<F>> offload(const Executor& workers, const F& work) {
  using T = std::invoke_result_t<F>;
  if constexpr (std::is_void_v<T>) {
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void()>(
        [workers, work](auto handler) mutable {
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          boost::asio::post(workers, [work = std::move(work), shared]() mutable {
            work();
            auto resume_on = boost::asio::get_associated_executor(*shared);
            boost::asio::post(resume_on, [shared]() mutable { std::move (*shared)(); });
          });
        },
        boost::asio::use_awaitable);
  } else {
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(T)>(
        [workers, work](auto handler) mutable {
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          boost::asio::post(workers, [work = std::move(work), shared]() mutable {
            T value = work();
            auto resume_on = boost::asio::get_associated_executor(*shared);
            boost::asio::post(resume_on, [shared, value = std::move(value)]() mutable {
              std::move (*shared)(std::move(value));
            });
          });
        },
        boost::asio::use_awaitable);
  }
}

}  // namespace stork
