// The concurrency toolkit: offload, strand calls and the wait group, on real threads.
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <gtest/gtest.h>

#include "base/offload.hpp"
#include "base/strand_call.hpp"
#include "base/wait_group.hpp"

namespace stork {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

// Runs `body` as a coroutine on a fresh io_context until it returns. `workers` (the threads
// that post back to the io_context) are joined before the io_context goes: a worker may still be
// inside post()'s wake-up of io.run() when the coroutine has already finished (TSan sees the
// io_context's condition variable destroyed under it otherwise).
template <class Body>
void run_coroutine(Body body, asio::thread_pool* workers = nullptr) {
  asio::io_context io;
  std::exception_ptr failure;
  asio::co_spawn(io, body(io), [&](std::exception_ptr error) { failure = error; });
  io.run();
  if (workers != nullptr) workers->join();
  if (failure) std::rethrow_exception(failure);
}

TEST(Offload, RunsOnTheWorkersAndResumesOnTheCallersThread) {
  asio::thread_pool workers(1);
  run_coroutine(
      [&](asio::io_context&) -> asio::awaitable<void> {
        const auto caller = std::this_thread::get_id();
        auto work = [] { return std::this_thread::get_id(); };
        const auto worker = co_await offload(workers.get_executor(), work);
        EXPECT_NE(worker, caller);
        EXPECT_EQ(std::this_thread::get_id(), caller);
        std::atomic<int> calls{0};
        auto count = [&calls] { ++calls; };
        co_await offload(workers.get_executor(), count);
        EXPECT_EQ(calls.load(), 1);
      },
      &workers);
}

TEST(StrandCall, CallOnAnswersWithWhatTheActorPassesToDone) {
  run_coroutine([](asio::io_context& io) -> asio::awaitable<void> {
    auto strand = asio::make_strand(io);
    auto start = [&](Done<std::string> done) {
      EXPECT_TRUE(strand.running_in_this_thread());
      done("answered");
    };
    auto answer = co_await call_on<std::string>(strand, start);
    EXPECT_EQ(answer, "answered");
  });
}

TEST(StrandCall, SpawnOnRethrowsTheOperationsExceptionInTheCaller) {
  run_coroutine([](asio::io_context& io) -> asio::awaitable<void> {
    auto strand = asio::make_strand(io);
    std::function<asio::awaitable<int>()> ok = []() -> asio::awaitable<int> { co_return 7; };
    EXPECT_EQ(co_await spawn_on<int>(strand, ok), 7);
    std::function<asio::awaitable<int>()> throws = []() -> asio::awaitable<int> {
      throw std::runtime_error("boom");
      co_return 0;
    };
    EXPECT_THROW(co_await spawn_on<int>(strand, throws), std::runtime_error);
  });
}

TEST(StrandCall, SpawnOnKeepsAnOperationsCapturesAliveUntilItEnds) {
  // Captures too big for std::function's own buffer: a double destruction of the operation
  // (GCC 12 and a temporary of a co_await) shows up under ASan.
  run_coroutine([](asio::io_context& io) -> asio::awaitable<void> {
    auto strand = asio::make_strand(io);
    const std::string text(100, 'x');
    std::function<asio::awaitable<void>()> check = [text]() -> asio::awaitable<void> {
      EXPECT_EQ(text.size(), 100u);
      co_return;
    };
    co_await spawn_on_void(strand, check);
    std::function<asio::awaitable<std::string>()> echo = [text]() -> asio::awaitable<std::string> {
      co_return text;
    };
    const auto echoed = co_await spawn_on<std::string>(strand, echo);
    EXPECT_EQ(echoed, text);
  });
}

TEST(WaitGroup, WaitCompletesWhenTheLastTokenIsReleasedOnAnotherThread) {
  asio::thread_pool workers(2);
  WaitGroup group;
  auto first = std::make_shared<WaitGroup::Token>(group.add());
  auto second = std::make_shared<WaitGroup::Token>(group.add());
  EXPECT_EQ(group.count(), 2u);
  run_coroutine(
      [&](asio::io_context&) -> asio::awaitable<void> {
        asio::post(workers, [first] { first->release(); });
        asio::post(workers, [second] { second->release(); });
        co_await group.wait();
        EXPECT_EQ(group.count(), 0u);
      },
      &workers);
}

TEST(WaitGroup, WaitForIsTrueAtOnceWhenNothingIsOutstanding) {
  WaitGroup group;
  run_coroutine([&](asio::io_context&) -> asio::awaitable<void> {
    EXPECT_TRUE(co_await group.wait_for(10s));
  });
}

TEST(WaitGroup, WaitForIsFalseWhenWorkOutlastsTheLimit) {
  WaitGroup group;
  auto token = group.add();
  run_coroutine([&](asio::io_context&) -> asio::awaitable<void> {
    EXPECT_FALSE(co_await group.wait_for(20ms));
    EXPECT_EQ(group.count(), 1u);
  });
}

TEST(WaitGroup, WaitForLeavesNoTimerBehindWhenTheWorkEndsFirst) {
  // io.run() returns only when no timer is pending: a 1 h limit would keep it running.
  WaitGroup group;
  auto token = std::make_shared<WaitGroup::Token>(group.add());
  asio::thread_pool workers(1);
  const auto began = std::chrono::steady_clock::now();
  run_coroutine(
      [&](asio::io_context&) -> asio::awaitable<void> {
        asio::post(workers, [token] { token->release(); });
        EXPECT_TRUE(co_await group.wait_for(std::chrono::hours(1)));
      },
      &workers);
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::minutes(1));
}

TEST(WaitGroup, TimedOutWaitLeavesNothingBehindThatOutlivesTheIoContext) {
  WaitGroup group;
  auto token = group.add();
  run_coroutine([&](asio::io_context&) -> asio::awaitable<void> {
    EXPECT_FALSE(co_await group.wait_for(1ms));
  });
  // The io_context is gone: the release must not reach the wait's strand or timer (ASan).
  token.release();
  EXPECT_EQ(group.count(), 0u);
}

TEST(WaitGroup, OnZeroRunsOnceForEachRegistration) {
  WaitGroup group;
  int calls = 0;
  {
    auto token = group.add();
    group.on_zero([&] { ++calls; });
    EXPECT_EQ(calls, 0);
  }
  EXPECT_EQ(calls, 1);
  group.on_zero([&] { ++calls; });
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace stork
