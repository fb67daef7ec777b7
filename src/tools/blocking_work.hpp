// BlockingWork: one worker thread on which tools run what blocks (git worktrees, component
// setup, scanning many item files), so the MCP server's strand never waits on the disk. A tool
// group owns one through a shared_ptr captured by its handlers; the jobs never own it, so the
// thread is joined from whichever thread drops the last handler, never from itself.
//
// Built on async_initiate rather than co_spawn: GCC 12 mishandles a co_spawn'ed awaitable's
// non-trivial result (see Pipeline::Impl::blocking). Pass `work` as a named lvalue.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace stork::tools {

class BlockingWork {
 public:
  BlockingWork() : threads_(1) {}
  ~BlockingWork() { threads_.join(); }
  BlockingWork(const BlockingWork&) = delete;
  BlockingWork& operator=(const BlockingWork&) = delete;

  // Runs `work` (a copy of it) on the worker thread and resumes the caller on its own
  // executor with the result.
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> run(const F& work) {
    using T = std::invoke_result_t<F>;
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(T)>(
        [this, work](auto handler) mutable {
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          boost::asio::post(threads_, [work = std::move(work), shared]() mutable {
            T value = work();
            auto resume_on = boost::asio::get_associated_executor(*shared);
            boost::asio::post(resume_on, [shared, value = std::move(value)]() mutable {
              std::move (*shared)(std::move(value));
            });
          });
        },
        boost::asio::use_awaitable);
  }

 private:
  boost::asio::thread_pool threads_;
};

}  // namespace stork::tools
