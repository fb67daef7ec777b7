#include "engine/merge_queue.hpp"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "engine/pipeline_context.hpp"

namespace stork::engine {
namespace asio = boost::asio;

std::size_t MergeQueue::enqueue(const std::string& story) {
  if (running_ && running_->story == story) return 0;
  auto queued = std::find(queue_.begin(), queue_.end(), story);
  if (queued != queue_.end())
    return static_cast<std::size_t>(queued - queue_.begin()) + (running_ ? 1 : 0);
  queue_.push_back(story);
  context_.emit(story, "merge_queued", {{"position", position_of_last()}});
  kick();
  return position_of_last();
}

void MergeQueue::kick() {
  if (worker_ || context_.stopping || !context_.started) return;
  auto anchor = context_.anchor();
  if (!anchor) return;
  worker_ = true;
  asio::co_spawn(
      context_.strand, [anchor, this] { return run(); }, asio::detached);
}

asio::awaitable<void> MergeQueue::run() {
  while (!queue_.empty() && !context_.stopping) {
    auto story = queue_.front();
    queue_.pop_front();
    auto task = context_.tasks.add();
    co_await job_.run(story);
    running_.reset();
  }
  worker_ = false;
  context_.request_reconcile();
}

MergeStatus MergeQueue::status() const {
  MergeStatus status;
  status.running = running_;
  status.queued.assign(queue_.begin(), queue_.end());
  auto jobs = context_.journal->jobs(std::nullopt, 50);
  if (jobs.ok()) {
    for (const auto& job : jobs.value()) {
      if (job.kind != state::JobKind::Merge || !job.finished()) continue;
      status.recent.push_back(
          MergeJobView{job.id, job.story, job.step, job.detail, job.commit, job.updated_at_ms});
      if (status.recent.size() == 10) break;
    }
  }
  return status;
}

asio::awaitable<void> MergeQueue::recover(const state::JobRecord& job) {
  co_await job_.recover(job);
}

}  // namespace stork::engine
