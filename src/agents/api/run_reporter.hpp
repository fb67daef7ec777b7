// RunReporter: how an API run tells its RunObserver what happens. Every report is posted to the
// run's executor (the pool's strand), so reports made by the run's loop and by the transfer's
// worker thread (live text while a stream arrives) reach the observer in the order they were
// made. Once abandoned (the run's handle is gone) it reports nothing more. Any thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "agents/api/model_protocol.hpp"
#include "agents/runtime/runtime.hpp"

namespace stork::agents::api {

class RunReporter {
 public:
  RunReporter(boost::asio::any_io_executor executor, std::shared_ptr<RunObserver> observer)
      : executor_(std::move(executor)), observer_(std::move(observer)) {}

  void started();
  void emit(RuntimeEvent event);
  void emit_all(std::vector<RuntimeEvent> events);
  // A line of stork's own about the run (an `output` event): retries, storage trouble.
  void note(std::string text);
  // Reports the answer's text and thinking accumulated in `live`: complete lines (or pieces of
  // 2000 bytes) only, or everything when `all`; what was reported is removed from `live`.
  void emit_live(LiveText& live, bool all);
  void exit(RunExit exit);
  void abandon() { abandoned_ = true; }

 private:
  void emit_text(std::string& pending, bool all, const char* type);

  const boost::asio::any_io_executor executor_;
  const std::shared_ptr<RunObserver> observer_;
  std::atomic<bool> abandoned_{false};
};

}  // namespace stork::agents::api
