// ApiContext: what the REST handlers and the WebSocket event hub share: the services, a small
// worker pool for the blocking work that must stay off connection strands (item files, git,
// SQLite reads of size), and a state-database connection of the API's own (the agent pool
// keeps its own), opened on first use and used by one thread at a time.
//
// Lifetime: handlers hold it by shared_ptr; work handed to offload() must not (the last owner
// would then join the worker pool from one of its own threads).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "api/api_error.hpp"
#include "api/api_services.hpp"
#include "state/run_store.hpp"

namespace stork::api {

class ApiContext {
 public:
  explicit ApiContext(ApiServices services, std::size_t worker_threads = 2);
  ~ApiContext();
  ApiContext(const ApiContext&) = delete;
  ApiContext& operator=(const ApiContext&) = delete;

  const ApiServices& services() const { return services_; }
  // The configuration in force, or null when the app gave none.
  std::shared_ptr<const ProjectConfig> config() const {
    return services_.config ? services_.config() : nullptr;
  }

  // Runs `work` on the worker pool and resumes the caller on its own executor with the result.
  // Built on async_initiate like Pipeline::Impl::blocking: GCC 12 mishandles a co_spawn'ed
  // awaitable's non-trivial result. Pass a named lambda (GCC 12: no prvalue with a destructor
  // in a co_await expression).
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> offload(const F& work) {
    using T = std::invoke_result_t<F>;
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(T)>(
        [this, work](auto handler) mutable {
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          boost::asio::post(workers_, [work = std::move(work), shared]() mutable {
            T value = work();
            auto resume_on = boost::asio::get_associated_executor(*shared);
            boost::asio::post(resume_on, [shared, value = std::move(value)]() mutable {
              std::move (*shared)(std::move(value));
            });
          });
        },
        boost::asio::use_awaitable);
  }

  // Runs `use(store)` under the store's lock, opening the store first if needed; `use` returns
  // an ApiResult. Blocking: call it from offloaded work.
  template <class F>
  std::invoke_result_t<F, state::StateStore&> with_state(const F& use) {
    std::lock_guard lock(state_mutex_);
    if (!state_) {
      auto opened = state::StateStore::open(services_.project_root);
      if (!opened.ok()) return fail(state_error(opened.error()));
      state_ = std::move(opened.value());
    }
    return use(*state_);
  }

  static ApiError state_error(const state::StateError& error);

 private:
  ApiServices services_;
  boost::asio::thread_pool workers_;
  std::mutex state_mutex_;
  std::unique_ptr<state::StateStore> state_;
};

}  // namespace stork::api
