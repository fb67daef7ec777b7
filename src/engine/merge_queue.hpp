// MergeQueue: the pipeline's merges, one at a time and in the order they were queued, each run
// as a MergeJob in the separate merge workspace. Owned by Pipeline::Impl, on the pipeline's
// strand. It never merges an item that has left 4_merge or is held (blocked, merge failure)
// since it was queued, and it starts nothing before the pipeline has started.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "engine/merge_job.hpp"
#include "engine/pipeline.hpp"

namespace stork::engine {

class PipelineContext;

class MergeQueue {
 public:
  explicit MergeQueue(PipelineContext& context) : context_(context), job_(context, running_) {}

  // Queues `story` (once) and returns its position: 0 = running or next.
  std::size_t enqueue(const std::string& story);
  // stop(): what is queued is queued again by the next start's reconcile.
  void clear() { queue_.clear(); }
  MergeStatus status() const;
  bool idle() const { return queue_.empty() && !running_ && !worker_; }
  // A merge job found open at start-up: finished if its commit landed, else merged again.
  boost::asio::awaitable<void> recover(const state::JobRecord& job);

 private:
  std::size_t position_of_last() const { return queue_.size() - 1 + (running_ ? 1 : 0); }
  void kick();
  boost::asio::awaitable<void> run();

  PipelineContext& context_;
  std::deque<std::string> queue_;        // stories waiting to merge
  std::optional<MergeJobView> running_;  // the running job, as merge_status shows it
  MergeJob job_;
  bool worker_ = false;
};

}  // namespace stork::engine
