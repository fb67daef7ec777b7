// Pipeline::Impl: the pipeline as one actor on one strand. It owns the shared context and the
// parts, one job each (completion_check, merge_queue with merge_job, reconciler,
// archive_sweeper, item_operations), wires them, and runs start-up, recovery and stop. Owned by
// Pipeline (shared, so detached coroutines can hold it); it never runs a handler off the strand.
#pragma once

#include <chrono>
#include <memory>

#include <boost/asio/awaitable.hpp>

#include "agents/agent_pool.hpp"
#include "engine/archive_sweeper.hpp"
#include "engine/completion_check.hpp"
#include "engine/disk_changes.hpp"
#include "engine/item_operations.hpp"
#include "engine/merge_queue.hpp"
#include "engine/pipeline.hpp"
#include "engine/pipeline_context.hpp"
#include "engine/reconciler.hpp"
#include "engine/work_watcher.hpp"

namespace stork::engine {

class Pipeline::Impl : public std::enable_shared_from_this<Pipeline::Impl> {
 public:
  Impl(const boost::asio::any_io_executor& executor, std::shared_ptr<const ProjectConfig> config,
       agents::AgentPool& pool, PipelineOptions options, std::unique_ptr<state::Journal> journal,
       std::string base_branch);

  // Recovers what a crash left, starts the watcher and the sweep, runs the first reconcile.
  boost::asio::awaitable<void> start();
  boost::asio::awaitable<void> stop(std::chrono::milliseconds grace);
  bool idle() const { return completion.idle() && merges.idle() && reconciler.idle(); }

  PipelineContext context;
  MergeQueue merges;
  CompletionCheck completion;
  ItemOperations items;
  Reconciler reconciler;
  ArchiveSweeper sweeper;
  DiskChanges disk;  // hand edits as events

 private:
  boost::asio::awaitable<void> recover();
  void watch();
  agents::AgentPool::MoveRecorder move_recorder();

  std::unique_ptr<WorkWatcher> watcher_;
};

}  // namespace stork::engine
