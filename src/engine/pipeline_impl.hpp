// Pipeline::Impl: the pipeline's state and logic, all on one strand. Split by flow:
// pipeline_impl.cpp (start, stop, events, reconcile and auto-assign, archive sweep),
// completion_flow.cpp, merge_flow.cpp, item_ops.cpp.
#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>

#include "agents/agent_pool.hpp"
#include "base/offload.hpp"
#include "base/wait_group.hpp"
#include "engine/gate_runner.hpp"
#include "engine/pipeline.hpp"
#include "engine/work_watcher.hpp"
#include "git/merge_workspace.hpp"
#include "git/worktree_manager.hpp"
#include "state/journal.hpp"
#include "work/stage_store.hpp"

namespace stork::engine {

class Pipeline::Impl : public std::enable_shared_from_this<Pipeline::Impl> {
 public:
  Impl(const boost::asio::any_io_executor& executor, std::shared_ptr<const ProjectConfig> config,
       agents::AgentPool& pool, PipelineOptions options, std::unique_ptr<state::Journal> journal,
       std::string base_branch);

  boost::asio::strand<boost::asio::any_io_executor> strand;

  // ---- lifecycle (pipeline_impl.cpp) ----
  boost::asio::awaitable<void> start();
  boost::asio::awaitable<void> stop(std::chrono::milliseconds grace);
  boost::asio::awaitable<void> reconcile();
  void request_reconcile();  // from any handler on the strand: reconcile soon, detached

  // ---- events ----
  void emit(const std::string& story, std::string type, boost::json::object payload = {});
  std::vector<PipelineEvent> events_after(std::int64_t seq, std::size_t limit);
  std::uint64_t subscribe(PipelineListener listener);
  void unsubscribe(std::uint64_t id);
  std::atomic<std::uint64_t> work_version{0};  // Pipeline::work_version(): bumped by emit, watch

  // ---- completion (completion_flow.cpp) ----
  enum class Trigger { ProcessExit, Reported, Recovery };
  boost::asio::awaitable<PipelineResult<CompletionOutcome>> complete(const std::string& story_arg,
                                                                     const std::string& agent,
                                                                     Trigger trigger);
  void on_run_finished(const agents::AgentInfo& info);

  // ---- merge queue (merge_flow.cpp) ----
  std::size_t enqueue_merge(const std::string& story);
  MergeStatus merge_status();
  bool idle() const {
    return completing_.empty() && merge_queue_.empty() && !merging_ && !merge_worker_ &&
           !reconciling_;
  }
  boost::asio::awaitable<void> recover_merge_job(const state::JobRecord& job);

  // ---- item operations (item_ops.cpp) ----
  boost::asio::awaitable<PipelineResult<void>> request_qa(std::string story);
  boost::asio::awaitable<PipelineResult<void>> approve_qa(std::string story);
  boost::asio::awaitable<PipelineResult<void>> reject_qa(std::string story, std::string notes);
  boost::asio::awaitable<PipelineResult<std::size_t>> merge(std::string story);
  boost::asio::awaitable<PipelineResult<void>> report_merge_failure(std::string story,
                                                                    std::string reason);
  boost::asio::awaitable<PipelineResult<void>> unblock(std::string story);
  boost::asio::awaitable<PipelineResult<void>> block(std::string story, std::string reason);
  boost::asio::awaitable<PipelineResult<Stage>> move(std::string story, Stage to);
  boost::asio::awaitable<PipelineResult<WorkItem>> edit_item(
      std::string story, std::function<Result<void, std::string>(WorkItem&)> edit);
  boost::asio::awaitable<PipelineResult<WorkItem>> create_item(NewItem item);

  std::shared_ptr<const ProjectConfig> config;

 private:
  // Runs `work` with stork::offload on the workers (the app's shared pool, or the pipeline's
  // own) and resumes the caller on the strand with its result. Each job is counted, so stop()
  // can let the ones in flight finish while the io_context they report to still runs; after
  // stop() jobs run on the strand, so no caller waits forever for a pool that is gone.
  //
  // GCC 12 rule for every co_await in this module: no prvalue of a type with a destructor in
  // the awaited expression (a lambda, a std::string built on the spot, a by-value struct): GCC
  // 12 frees such temporaries wrongly across the suspension. Name them first; pass lvalues.
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> blocking(const F& work) {
    auto counted = [work, job = std::make_shared<WaitGroup::Token>(jobs_.add())] { return work(); };
    const auto where = workers_stopped_ ? boost::asio::any_io_executor(strand) : workers_;
    return offload(where, counted);
  }

  // Item helpers: every item write goes through these, on the strand.
  PipelineResult<WorkItem> load(const std::string& story);
  PipelineResult<void> save(const WorkItem& item);
  // Moves the item (if not there yet), commits tracked stages (done, archive) in git, emits
  // `moved` with `reason`.
  boost::asio::awaitable<PipelineResult<StageStore::Move>> move_item(const std::string& story,
                                                                     Stage to,
                                                                     const std::string& reason);
  std::filesystem::path gate_log(const std::string& story, std::string_view what) const;
  GateSpec gate_spec(std::filesystem::path cwd, const std::string& story,
                     std::string_view what) const;
  // run_gate on the strand (a plain function, so the executor conversion is not a temporary
  // of the caller's co_await).
  boost::asio::awaitable<GateResult> gate(const GateSpec& spec);
  std::int64_t now_ms() const;
  void record_job_step(std::int64_t job, std::string_view step, std::string_view detail = {});

  // reconcile parts (pipeline_impl.cpp)
  boost::asio::awaitable<void> reconcile_once();
  boost::asio::awaitable<void> recover();
  boost::asio::awaitable<void> sweep();
  void schedule_sweep();

  // completion parts (completion_flow.cpp)
  boost::asio::awaitable<CompletionOutcome> handle_failure(const std::string& story,
                                                           const std::string& agent,
                                                           Trigger trigger,
                                                           const std::string& reason,
                                                           const std::string& gate_tail);
  boost::asio::awaitable<CompletionOutcome> advance_passed(const std::string& story,
                                                           const std::string& gate_tail);

  // merge parts (merge_flow.cpp)
  void kick_merges();
  boost::asio::awaitable<void> run_merges();
  boost::asio::awaitable<void> merge_one(const std::string& story);
  boost::asio::awaitable<void> finish_landed(std::int64_t job, const std::string& story,
                                             const std::string& commit,
                                             const std::string& checkout_note);
  boost::asio::awaitable<void> fail_merge(std::int64_t job, const std::string& story,
                                          const std::string& reason,
                                          const std::vector<std::string>& conflicted);
  boost::asio::awaitable<void> start_mergemaster(const std::string& story,
                                                 const std::string& failure);

  friend class Pipeline;

  std::optional<boost::asio::thread_pool> own_workers_;  // when options_.workers is empty
  boost::asio::any_io_executor workers_;
  agents::AgentPool& pool_;
  PipelineOptions options_;
  StageStore store_;
  std::unique_ptr<state::Journal> journal_;
  std::string base_branch_;
  WorktreeManager worktrees_;
  MergeWorkspace workspace_;
  std::unique_ptr<WorkWatcher> watcher_;
  boost::asio::steady_timer sweep_timer_;
  std::map<std::uint64_t, PipelineListener> listeners_;
  std::uint64_t next_listener_ = 1;

  std::set<std::string> completing_;       // stories whose completion check runs now
  std::set<std::string> creating_;         // new items not yet committed: not promoted yet
  std::set<std::int64_t> processed_runs_;  // finished coder runs whose completion started
  std::deque<std::string> merge_queue_;    // stories waiting to merge
  std::optional<MergeJobView> merging_;    // the running job
  bool merge_worker_ = false;
  bool reconciling_ = false;
  bool reconcile_again_ = false;
  bool started_ = false;
  bool stopping_ = false;
  bool workers_stopped_ = false;
  WaitGroup tasks_;  // pipeline coroutines in flight (a token each), for stop()'s grace
  WaitGroup jobs_;   // blocking jobs in flight on the workers
};

}  // namespace stork::engine
