// Runs a coroutine on an io_context served by a thread of its own and waits for its result
// with a deadline, so app parts are tested through their awaitable API.
#pragma once

#include <chrono>
#include <future>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

namespace stork::app::testing {

class IoThread {
 public:
  IoThread() : work_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
  ~IoThread() {
    work_.reset();
    io_.stop();
    thread_.join();
  }
  boost::asio::io_context& io() { return io_; }

  template <class T>
  T run(boost::asio::awaitable<T> operation,
        std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto future = boost::asio::co_spawn(io_, std::move(operation), boost::asio::use_future);
    if (future.wait_for(timeout) != std::future_status::ready) {
      ADD_FAILURE() << "the operation did not finish in time";
      std::abort();  // the coroutine still refers to the test's objects
    }
    return future.get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace stork::app::testing
