// DiskChanges: turns what the work watcher saw under .storkit/work into pipeline events
// (item_created, item_removed, moved, item_changed; see work_index.hpp), so an open board
// follows edits that no pipeline operation made. It keeps a WorkIndex of the items as last
// announced: after a settled burst it reads every item (on the workers), diffs, and emits one
// event per change, or a single `work_reloaded` when a burst changed more than
// `kMaxChangeEvents` items (a `git pull`), so a big burst never floods the clients. The
// pipeline's own events refresh the index entry of their item, so what the pipeline already
// announced is not announced twice. Owned by Pipeline::Impl; used on the pipeline's strand.
#pragma once

#include <cstddef>
#include <set>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "engine/work_index.hpp"

namespace stork::engine {

class PipelineContext;

class DiskChanges {
 public:
  static constexpr std::size_t kMaxChangeEvents = 20;

  explicit DiskChanges(PipelineContext& context) : context_(context) {}

  // Reads the first index and listens to the pipeline's events.
  boost::asio::awaitable<void> start();
  void stop();
  // The watcher saw a settled burst: detached; bursts during a scan coalesce into one more.
  void request();

 private:
  boost::asio::awaitable<void> scan();
  boost::asio::awaitable<void> scan_once();
  void refresh(const std::string& story);
  void announce(const WorkIndex& after);

  PipelineContext& context_;
  WorkIndex index_;
  std::set<std::string> touched_;  // items the pipeline announced while a scan ran
  std::uint64_t listener_ = 0;
  bool started_ = false;
  bool running_ = false;
  bool again_ = false;
};

}  // namespace stork::engine
