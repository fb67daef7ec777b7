// WorkWatcher: notices when anything under .storkit/work changes on disk (a file moved by hand,
// a `git checkout`, an editor saving an item) through inotify, and calls back once the burst of
// changes has settled, so the pipeline re-reads the items and re-plans. stork's own writes are
// noticed too; the pipeline's reaction to them is idempotent.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "base/result.hpp"

namespace stork::engine {

class WorkWatcher {
 public:
  // Watches `work_dir` and every directory directly inside it (stage directories created
  // later are picked up). `on_change` runs on `executor`, `debounce` after the last change of
  // a burst (but at most `debounce` * 5 after the first, so a steady trickle still gets seen).
  static Result<std::unique_ptr<WorkWatcher>, std::string> start(
      const boost::asio::any_io_executor& executor, std::filesystem::path work_dir,
      std::chrono::milliseconds debounce, std::function<void()> on_change);

  ~WorkWatcher();
  WorkWatcher(const WorkWatcher&) = delete;
  WorkWatcher& operator=(const WorkWatcher&) = delete;

  // Stops watching; no callback runs after it returns (when called on the executor).
  void stop();

 private:
  class Impl;
  explicit WorkWatcher(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace stork::engine
