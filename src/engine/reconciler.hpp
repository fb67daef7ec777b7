// Reconciler: reads the items again and plans: promotes backlog items whose dependencies are
// done, gives free agents work (auto-assign), and queues every unheld item in 4_merge. Owned by
// Pipeline::Impl, on the pipeline's strand. Calls are coalesced (one runs, and at most one more
// afterwards); it never reads the item files on the strand (the reads run on the workers).
// While the work watcher runs, a pass re-reads only the files named since the last one (this
// process's writes and the watcher's bursts), so the cost of the pass after a write does not
// grow with the backlog; without a watcher, or when it cannot say what changed, a pass lists
// the whole work directory (SnapshotCache).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "engine/snapshot_cache.hpp"
#include "engine/work_watcher.hpp"
#include "pipeline/snapshot.hpp"

namespace stork::agents {
struct AgentInfo;
}

namespace stork::engine {

class PipelineContext;
class MergeQueue;
class CompletionCheck;
class ItemOperations;

class Reconciler {
 public:
  Reconciler(PipelineContext& context, MergeQueue& merges, const CompletionCheck& completion,
             const ItemOperations& items)
      : context_(context), merges_(merges), completion_(completion), items_(items) {}

  boost::asio::awaitable<void> reconcile();
  // reconcile(), detached: from any handler on the strand, once the pipeline has started.
  void request();
  bool idle() const { return !running_; }
  // The work watcher runs: from now on its bursts name every change made outside this process.
  void set_watching(bool watching) { watching_ = watching; }
  // A settled burst of the watcher: the next pass re-reads these files (or everything).
  void note(const WorkWatcher::Burst& burst);

 private:
  boost::asio::awaitable<void> reconcile_once();
  boost::asio::awaitable<void> promote(std::vector<pipeline::ItemSnapshot>& items);
  // Stops the active runs whose item left their agent's stage (pipeline/stage_exit.hpp), each
  // with a pipeline event `agent_stopped` saying why (stage_exit_stops.cpp). `unreadable`: the
  // ids of item files that exist but do not parse; runs started at or after `listed_at_ms`
  // (when the files were read) are judged by the next pass, not by this stale listing.
  boost::asio::awaitable<void> stop_leavers(const std::vector<pipeline::ItemSnapshot>& items,
                                            const std::set<std::string>& unreadable,
                                            std::int64_t listed_at_ms);
  boost::asio::awaitable<void> assign(const std::vector<pipeline::ItemSnapshot>& items);
  // The items auto-assign may give an agent, given the pool's runs.
  std::vector<pipeline::ItemSnapshot> offered(const std::vector<pipeline::ItemSnapshot>& items,
                                              const std::vector<agents::AgentInfo>& agents) const;
  void queue_merges(const std::vector<pipeline::ItemSnapshot>& items);

  PipelineContext& context_;
  MergeQueue& merges_;
  const CompletionCheck& completion_;
  const ItemOperations& items_;
  SnapshotCache snapshots_;  // the items as last read; only changed files are parsed again
  bool watching_ = false;
  WorkWatcher::Burst changed_;  // named by the watcher since the last pass
  bool running_ = false;
  bool again_ = false;
};

}  // namespace stork::engine
