// What the agent benchmarks share: an io_context on its own thread, as the pool runs on, and a
// check that stops a benchmark with a message instead of timing a broken run.
#pragma once
#include <stdexcept>
#include <string>
#include <thread>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "agents/awaitable_result.hpp"

namespace stork::bench {

inline void check(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}

struct Io {
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{
      boost::asio::make_work_guard(io)};
  std::thread thread{[this] { io.run(); }};
  ~Io() {
    guard.reset();
    io.stop();
    thread.join();
  }
  // Runs `op` on the io thread and waits for its result.
  template <class T>
  T run(boost::asio::awaitable<T> op) {
    return agents::run_blocking(io, std::move(op));
  }
};

}  // namespace stork::bench
