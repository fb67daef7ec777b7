// Helpers for awaiting the pool's operations from outside a coroutine (tests, benchmarks,
// CLI). co_spawn needs a default-constructible result, which Result<> is not, so the result
// travels in an optional.
#pragma once

#include <future>
#include <optional>
#include <type_traits>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

namespace stork::agents {

// GCC 12 note: `co_return co_await expr;` with a non-trivial result type frees a temporary it
// never allocated (seen under ASan); results are stored in a local first.
template <class T>
boost::asio::awaitable<std::optional<T>> as_optional(boost::asio::awaitable<T> operation) {
  std::optional<T> result;
  result.emplace(co_await std::move(operation));
  co_return result;
}

// Runs `operation` on `context` and blocks until it is done. Never call it from a thread that
// runs `context`.
template <class T, class Context>
T run_blocking(Context& context, boost::asio::awaitable<T> operation) {
  if constexpr (std::is_void_v<T>) {
    boost::asio::co_spawn(context, std::move(operation), boost::asio::use_future).get();
  } else {
    auto result =
        boost::asio::co_spawn(context, as_optional(std::move(operation)), boost::asio::use_future)
            .get();
    return std::move(*result);
  }
}

}  // namespace stork::agents
