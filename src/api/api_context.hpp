// ApiContext: what the REST handlers and the WebSocket event hub share: the services, the
// app's shared worker pool (ApiServices::workers) for the blocking work that must stay off
// connection strands (item files, git, SQLite reads of size), and a state-database connection
// of the API's own (the agent pool keeps its own), opened on first use and used by one thread
// at a time. Handlers hold it by shared_ptr; it owns no thread.
#pragma once

#include <memory>
#include <mutex>
#include <type_traits>

#include <boost/asio/awaitable.hpp>

#include "api/api_error.hpp"
#include "api/api_services.hpp"
#include "base/offload.hpp"
#include "state/run_store.hpp"

namespace stork::api {

class ApiContext {
 public:
  // `services.workers` must be set: the shared pool offload() runs work on.
  explicit ApiContext(ApiServices services);
  ~ApiContext();
  ApiContext(const ApiContext&) = delete;
  ApiContext& operator=(const ApiContext&) = delete;

  const ApiServices& services() const { return services_; }
  // The configuration in force, or null when the app gave none.
  std::shared_ptr<const ProjectConfig> config() const {
    return services_.config ? services_.config() : nullptr;
  }

  // stork::offload on the shared workers: runs `work` there and resumes the caller on its own
  // executor with the result. Pass a named lambda (GCC 12: no prvalue with a destructor in a
  // co_await expression).
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> offload(const F& work) {
    return stork::offload(services_.workers, work);
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
  std::mutex state_mutex_;
  std::unique_ptr<state::StateStore> state_;
};

}  // namespace stork::api
