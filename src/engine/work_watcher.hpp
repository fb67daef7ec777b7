// WorkWatcher: notices when anything under .storkit/work changes on disk (a file moved by hand,
// a `git checkout`, an editor saving an item) through inotify, and calls back once the burst of
// changes has settled, with the names of the item files it touched, so the pipeline re-reads
// those items (or all of them, when the watcher cannot say which) and re-plans. stork's own
// writes are noticed too; the pipeline's reaction to them is idempotent.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "base/result.hpp"

namespace stork::engine {

class WorkWatcher {
 public:
  // What a settled burst touched: the names of the *.md files created, written, removed or
  // renamed in the stage directories, or `everything` when the watcher cannot say (a stage
  // directory created, removed or renamed, the work directory replaced, the kernel's event
  // queue overflowed).
  struct Burst {
    std::set<std::string> files;  // "42_story_login.md": the name only, in whichever stage
    bool everything = false;
  };

  // Watches `work_dir` and every directory directly inside it (stage directories created
  // later are picked up). `on_change` runs on `executor`, `debounce` after the last change of
  // a burst (but at most `debounce` * 5 after the first, so a steady trickle still gets seen).
  static Result<std::unique_ptr<WorkWatcher>, std::string> start(
      const boost::asio::any_io_executor& executor, std::filesystem::path work_dir,
      std::chrono::milliseconds debounce, std::function<void(const Burst&)> on_change);

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
