// DiskChanges: turns what the work watcher saw under .storkit/work into pipeline events
// (item_created, item_removed, moved, item_changed; see work_index.hpp), so an open board
// follows edits that no pipeline operation made. It keeps a WorkIndex of the items as last
// announced: after a settled burst it reads the items the watcher names (every item when the
// watcher cannot say which) on the workers, diffs, and emits one event per change, or a single
// `work_reloaded` when a burst changed more than `kMaxChangeEvents` items (a `git pull`), so a
// big burst never floods the clients. A write to one item re-reads that item, never the whole
// backlog. The
// pipeline's own events refresh the index entry of their item, so what the pipeline already
// announced is not announced twice. Owned by Pipeline::Impl; used on the pipeline's strand.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "engine/work_index.hpp"
#include "engine/work_watcher.hpp"

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
  void request(const WorkWatcher::Burst& burst);

 private:
  boost::asio::awaitable<void> scan();
  boost::asio::awaitable<void> scan_once();
  // Re-reads only the items of these file names (disk_files.cpp).
  boost::asio::awaitable<void> scan_files(const std::set<std::string>& files);
  void refresh(const std::string& story);
  void announce(const WorkIndex& after);
  // One event per change, or one `work_reloaded` for more than kMaxChangeEvents.
  void emit_changes(std::vector<WorkChange> changes);

  PipelineContext& context_;
  WorkIndex index_;
  std::set<std::string> touched_;  // items the pipeline announced while a scan ran
  std::uint64_t listener_ = 0;
  bool started_ = false;
  bool running_ = false;
  WorkWatcher::Burst pending_;  // what the bursts not yet read touched
};

}  // namespace stork::engine
