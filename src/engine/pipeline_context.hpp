// PipelineContext: what every part of the pipeline shares (the project's item store, journal,
// worktrees and merge workspace, the workers for blocking work, the events) and the item
// helpers every write goes through. Owned by Pipeline::Impl and used on the pipeline's strand
// only. It decides nothing: completion, the merge queue, the reconciler, the archive sweeper
// and the item operations do.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <type_traits>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "base/offload.hpp"
#include "base/wait_group.hpp"
#include "engine/event_log.hpp"
#include "engine/gate_runner.hpp"
#include "engine/pipeline.hpp"
#include "git/merge_workspace.hpp"
#include "git/work_commits.hpp"
#include "git/worktree_manager.hpp"
#include "state/journal.hpp"
#include "work/item_index.hpp"
#include "work/stage_store.hpp"

namespace stork::engine {

class PipelineContext {
 public:
  PipelineContext(const boost::asio::any_io_executor& executor,
                  std::shared_ptr<const ProjectConfig> config, agents::AgentPool& pool,
                  PipelineOptions options, std::unique_ptr<state::Journal> journal,
                  std::string base_branch);
  PipelineContext(const PipelineContext&) = delete;
  PipelineContext& operator=(const PipelineContext&) = delete;

  boost::asio::strand<boost::asio::any_io_executor> strand;
  std::shared_ptr<const ProjectConfig> config;
  agents::AgentPool& pool;
  const PipelineOptions options;
  // Attached for the project root while the pipeline lives: every StageStore of this root in
  // the process (this one, the operations layer's, the pool's) finds items without a scan.
  std::shared_ptr<ItemIndex> item_index;
  StageStore store;
  std::unique_ptr<state::Journal> journal;
  const std::string base_branch;
  WorktreeManager worktrees;
  MergeWorkspace workspace;
  EventLog events;
  WaitGroup tasks;  // pipeline coroutines in flight (a token each), for stop()'s grace
  bool started = false;
  bool stopping = false;
  // The pipeline's owner (Pipeline::Impl): a detached coroutine holds it while it runs.
  std::weak_ptr<void> owner;
  // Items written but not yet announced (a git commit runs between the two): DiskChanges
  // leaves them to the event that follows.
  std::multiset<std::string> writes_in_flight;
  // Set by the owner to the reconciler's request().
  std::function<void()> reconcile_hook;

  std::shared_ptr<void> anchor() const { return owner.lock(); }
  // Reconcile soon, detached (the reconciler coalesces requests).
  void request_reconcile() {
    if (reconcile_hook) reconcile_hook();
  }

  // Runs `work` with stork::offload on the workers (the app's shared pool, or the pipeline's
  // own) and resumes the caller on its executor with the result. Each job is counted, so
  // stop_workers() lets those in flight finish while the io_context they report to still runs;
  // after it, jobs run on the strand, so no caller waits forever for a pool that is gone.
  //
  // GCC 12 rule for every co_await in the engine: no prvalue of a type with a destructor in
  // the awaited expression (a lambda, a std::string built on the spot, a by-value struct): GCC
  // 12 frees such temporaries wrongly across the suspension. Name them first; pass lvalues.
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> blocking(const F& work) {
    auto counted = [work, job = std::make_shared<WaitGroup::Token>(jobs_.add())] { return work(); };
    const auto where = workers_stopped_ ? boost::asio::any_io_executor(strand) : workers_;
    return offload(where, counted);
  }
  // Everything that writes the main checkout's index (item commits, the merge's fast-forward)
  // runs through here: on the workers, one at a time (a strand of their own), so two of them
  // never race for .git/index.lock. Another process's git may still hold it: the commits
  // retry (commit_work_event).
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> in_checkout(const F& work) {
    auto counted = [work, job = std::make_shared<WaitGroup::Token>(jobs_.add())] { return work(); };
    const auto where = workers_stopped_ ? boost::asio::any_io_executor(strand) : checkout_queue_;
    return offload(where, counted);
  }
  // Commits the item's tracked files for `event` through in_checkout(); the error, if git
  // still refused after its retries.
  boost::asio::awaitable<std::optional<std::string>> commit_item(StoryId id, WorkEvent event);
  // stop(): waits for the jobs in flight, then sends new ones to the strand.
  boost::asio::awaitable<void> stop_workers();

  void emit(const std::string& story, std::string type, boost::json::object payload = {}) {
    events.emit(story, std::move(type), std::move(payload));
  }
  void record_job_step(std::int64_t job, std::string_view step, std::string_view detail = {});

  // Item helpers: every item write goes through these, on the strand.
  PipelineResult<WorkItem> load(const std::string& story);
  // Applies `change` to the item as it is on disk now, under the store's lock from read to
  // write (StageStore::update): a CLI writing the same file meanwhile loses nothing.
  PipelineResult<WorkItem> update(const std::string& story,
                                  const std::function<void(WorkItem&)>& change);
  // Moves the item (if not there yet), commits tracked stages (done, archive) in git, emits
  // `moved` with `reason`.
  boost::asio::awaitable<PipelineResult<StageStore::Move>> move_item(const std::string& story,
                                                                     Stage to,
                                                                     const std::string& reason);

  GateSpec gate_spec(std::filesystem::path cwd, const std::string& story,
                     std::string_view what) const;
  // run_gate on the strand (a plain function, so the executor conversion is not a temporary
  // of the caller's co_await).
  boost::asio::awaitable<GateResult> gate(const GateSpec& spec);

 private:
  std::optional<boost::asio::thread_pool> own_workers_;  // when options.workers is empty
  boost::asio::any_io_executor workers_;
  boost::asio::any_io_executor checkout_queue_;  // a strand on workers_ (in_checkout)
  WaitGroup jobs_;                               // blocking jobs in flight
  bool workers_stopped_ = false;
};

}  // namespace stork::engine
