// The pool's state and logic behind AgentPool (agent_pool.hpp). Every member function here runs
// on `strand`, except where it says otherwise; nothing here takes a lock. The definitions are
// split by job: pool_impl.cpp (state and queries), pool_start.cpp, pool_launch.cpp,
// pool_event_sink.cpp, pool_rate_limits.cpp, pool_recovery.cpp, pool_waiters.cpp,
// pool_worktrees.cpp.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "agents/agent_pool.hpp"
#include "agents/run_output_budget.hpp"
#include "agents/runtime/runtime.hpp"
#include "git/worktree_manager.hpp"
#include "pipeline/snapshot.hpp"
#include "state/run_log.hpp"
#include "state/run_store.hpp"
#include "work/stage_store.hpp"

namespace stork::agents {

// One run of one agent on one item: what the pool knows and holds for it.
struct RunEntry {
  AgentInfo info;
  std::shared_ptr<const ProjectConfig> config;  // the roster the run started with
  std::optional<std::string> resume_context;
  bool resume_session = true;
  bool resumed_session = false;     // launched with a session to resume (see pool_run_cost.cpp)
  std::shared_ptr<RuntimeRun> run;  // set while a process runs
  std::unique_ptr<state::RunLog> log;
  std::optional<RunOutputBudget> output_budget;  // made with the first output ([limits])
  std::int64_t next_seq = 1;
  bool stop_requested = false;
  std::string stop_reason;           // why it was stopped, for its status ("" = on request)
  bool interrupt_requested = false;  // killed for shutdown: resumed at the next start-up
  bool failed_result = false;
  std::string failure;  // RuntimeEvent::failure of the failed result, if it said why
  std::optional<RateLimitNotice> hard_limit;
  std::optional<TokenUsage> usage;
  // Woken (cancelled) on every status change; wait_for_agent and shutdown re-check.
  std::vector<std::shared_ptr<boost::asio::steady_timer>> waiters;
  std::unique_ptr<boost::asio::steady_timer> resume_timer;
  // A project chat run (pool_chat.cpp): runs in the project root with this as its prompt.
  std::optional<std::string> chat_prompt;
};

// What register_run needs besides the item and the agent.
struct RunRequest {
  std::shared_ptr<const ProjectConfig> config;
  std::optional<std::string> resume_context;
  bool resume_session = true;
  std::optional<std::int64_t> resumes_run;  // the run this one continues
};

class AgentPool::Impl : public std::enable_shared_from_this<AgentPool::Impl> {
 public:
  Impl(const boost::asio::any_io_executor& executor, std::shared_ptr<const ProjectConfig> config,
       PoolOptions options, std::unique_ptr<state::StateStore> state, WorktreeSettings worktrees);
  ~Impl();

  using Strand = boost::asio::strand<boost::asio::any_io_executor>;
  Strand strand;
  std::atomic<std::uint64_t> runs_version{0};  // AgentPool::runs_version(); any thread

  // pool_start.cpp
  PoolResult<AgentInfo> start(const StartRequest& request);
  // pool_move_record.cpp: the moves start() made out of a tracked stage, recorded in git;
  // `then` runs on the strand once they all are.
  void record_moves(std::function<void()> then);
  void set_move_recorder(AgentPool::MoveRecorder recorder) { move_recorder_ = std::move(recorder); }
  // pool_impl.cpp: state and queries
  PoolResult<AgentInfo> request_stop(const std::string& story, const std::string& agent,
                                     const std::string& reason = {});
  std::shared_ptr<RunEntry> find(const std::string& story, const std::string& agent) const;
  std::vector<AgentInfo> list() const;
  std::vector<std::string> available_for_stage(AgentStage stage) const;
  std::size_t remove_story(const std::string& story);
  PoolResult<std::vector<AgentEvent>> events_of(const RunEntry& entry, std::int64_t after_seq);
  std::uint64_t add_listener(PoolListener listener);
  void remove_listener(std::uint64_t id);
  void add_finished_handler(std::function<void(const AgentInfo&)> handler);
  void replace_config(std::shared_ptr<const ProjectConfig> config);
  std::chrono::milliseconds stop_grace() const { return options_.stop_grace; }

  // pool_launch.cpp. Runs `then` on the strand once the worktree work queued on the git lane
  // so far is done.
  void after_git_lane(std::function<void()> then);

  // pool_one_shot.cpp: AgentPool::run_once; `done` gets the final message or why not.
  void start_one_shot(const OneShotRequest& request,
                      std::function<void(Result<std::string, std::string>)> done);
  void end_one_shot(const std::shared_ptr<RuntimeRun>& run) { one_shots_.erase(run); }

  // pool_recovery.cpp
  std::vector<AgentInfo> recover();
  // Kills every live process for shutdown; returns the entries to wait for.
  std::vector<std::shared_ptr<RunEntry>> kill_all_for_shutdown();

  // pool_waiters.cpp. Calls `done` once the run of `agent` on `story` has finished (the lookup
  // is repeated after every status change, so a wait follows a blocked run to the run that
  // resumes it), or with NotFound / Timeout.
  void wait_finished(std::string story, std::string agent,
                     std::chrono::steady_clock::time_point deadline,
                     std::chrono::milliseconds timeout,
                     std::function<void(PoolResult<AgentInfo>)> done);
  // Calls `done` once `holds` is false for `entry`, or at `deadline`.
  void wait_while(std::shared_ptr<RunEntry> entry, std::function<bool(const RunEntry&)> holds,
                  std::chrono::steady_clock::time_point deadline, std::function<void()> done);

  // pool_worktrees.cpp: the worktree operations of people and tools, checked against the runs
  // and queued on the git lane in one strand handler. `done` is called on the strand.
  void create_worktree(const std::string& story,
                       std::function<void(PoolResult<CreatedWorktree>)> done);
  void remove_worktree(const std::string& story,
                       std::function<void(PoolResult<std::vector<StepOutput>>)> done);

  // pool_event_sink.cpp: called through the run's observer.
  void on_started(const std::shared_ptr<RunEntry>& entry, std::optional<pid_t> pid);
  void on_output(const std::shared_ptr<RunEntry>& entry, std::vector<std::string>& raw_lines,
                 std::vector<RuntimeEvent>& events);
  void on_exit(const std::shared_ptr<RunEntry>& entry, const RunExit& exit);
  // pool_outside_events.cpp: an event from outside the run's process, through emit().
  PoolResult<std::int64_t> record_outside_event(const std::string& story, const std::string& agent,
                                                RuntimeEvent event);
  // pool_inbox.cpp: people's messages and what an idle agent should hear at its next start.
  PoolResult<MessageDelivery> say(const std::string& story, const std::string& agent,
                                  const std::string& text);
  PoolResult<MessageDelivery> say_to_idle_agent(const std::string& story, const std::string& agent,
                                                const std::string& text);
  void note_item_event(const std::string& story, const std::string& kind, const std::string& text);
  // pool_chat.cpp
  PoolResult<ChatDelivery> chat(const ChatTurn& turn);
  // Drains the agent's inbox for the run being launched: the <recent-events> block, if any,
  // recorded as a `recent_events` event of the run.
  std::optional<std::string> take_recent_events(RunEntry& entry);

 private:
  using Key = std::pair<std::string, std::string>;  // (story id, agent name)

  pipeline::Runs snapshot(const RunEntry* except = nullptr) const;
  // pool_start.cpp: the steps of start().
  PoolResult<std::string> choose_agent(const StartRequest& request, StageStore::Entry& item,
                                       const ProjectConfig& config, const pipeline::Runs& runs);
  PoolResult<std::string> choose_stage_agent(StageStore::Entry& item, const ProjectConfig& config,
                                             const pipeline::Runs& runs);
  PoolResult<void> check_rules(const std::string& agent_name, const StageStore::Entry& item,
                               const ProjectConfig& config, const pipeline::Runs& runs);
  // Moves the item to 2_current; a move out of a tracked stage is queued for record_moves().
  WorkResult<StageStore::Move> move_to_current(const StoryId& story);
  void record_move(const StoryId& story, std::function<void()> done);
  PoolResult<AgentInfo> register_run(const StoryId& story, const std::string& agent_name,
                                     RunRequest request);
  // pool_launch.cpp
  void prepare_worktree(const std::shared_ptr<RunEntry>& entry);  // posts to the git lane
  void launch(const std::shared_ptr<RunEntry>& entry,
              Result<CreatedWorktree, WorktreeError> worktree);
  // Starts the runtime in `workdir` (a worktree, or the project root for a chat run).
  void start_process(const std::shared_ptr<RunEntry>& entry, const std::filesystem::path& workdir);
  std::optional<std::string> open_run_log(RunEntry& entry);
  LaunchContext launch_context(RunEntry& entry, const AgentConfig& agent,
                               const std::filesystem::path& workdir,
                               const std::optional<std::string>& session);
  // pool_chat.cpp: the chat run's MCP configuration, next to its logs; empty on failure.
  std::filesystem::path write_chat_mcp_config(RunEntry& entry);
  // pool_event_sink.cpp
  void note_session(RunEntry& run, const std::string& session_id);
  void record_usage(RunEntry& run);
  // pool_run_cost.cpp: the facts of an event kept in the run record (model, the run's own cost).
  void note_model(RunEntry& run, const std::string& model);
  void note_usage(RunEntry& run, RuntimeEvent& event);
  TokenUsage earlier_session_usage(RunEntry& run);
  void set_status(RunEntry& entry, AgentStatus status, std::string_view reason = {});
  void finish(const std::shared_ptr<RunEntry>& entry, AgentStatus status, std::string reason);
  // Failed before the agent ran (worktree, runtime, exec): AgentInfo::setup_failure.
  void fail_setup(const std::shared_ptr<RunEntry>& entry, const std::string& cause);
  void emit(RunEntry& entry, std::vector<RuntimeEvent>& events);
  // Events are fanned out at once but written to SQLite in batches: one transaction per few
  // milliseconds instead of one per read of a PTY (which delivers a few KB at a time).
  void flush_events();
  void note_state_error(RunEntry& entry, const std::string& what);
  // pool_rate_limits.cpp
  void note_rate_limit(RunEntry& run, const RateLimitNotice& notice);
  void block_until_reset(const std::shared_ptr<RunEntry>& entry);
  void schedule_resume(const std::shared_ptr<RunEntry>& entry, std::int64_t wait_ms);
  void resume_blocked(const std::shared_ptr<RunEntry>& entry);
  // pool_chat.cpp: registers a chat run and starts it in the project root.
  PoolResult<AgentInfo> register_chat_run(const ChatTurn& turn);
  // pool_recovery.cpp
  void resume_interrupted(const state::RunRecord& run, std::vector<AgentInfo>& resumed);
  void restore_blocked(const state::RunRecord& run);
  // pool_waiters.cpp
  void wake(RunEntry& entry);

  std::shared_ptr<const ProjectConfig> config_;
  PoolOptions options_;
  StageStore store_;
  std::unique_ptr<state::StateStore> state_;
  WorktreeSettings worktree_settings_;
  WorktreeManager worktrees_;
  std::string base_branch_;
  // The workers: the app's shared pool (PoolOptions::workers), else a pool of our own.
  std::optional<boost::asio::thread_pool> own_workers_;
  boost::asio::any_io_executor workers_;
  // Git takes locks on the repository's config and refs: worktrees are created and removed one
  // at a time, for runs and for people alike.
  boost::asio::strand<boost::asio::any_io_executor> git_lane_;
  std::map<Key, std::shared_ptr<RunEntry>> entries_;
  std::map<std::uint64_t, PoolListener> listeners_;
  std::uint64_t next_listener_id_ = 1;
  std::vector<std::function<void(const AgentInfo&)>> finished_handlers_;
  bool shutting_down_ = false;
  AgentPool::MoveRecorder move_recorder_;  // the pipeline's, when one runs
  std::vector<StoryId> moves_to_record_;   // by start(), for record_moves()
  std::vector<state::EventRecord> unsaved_events_;
  boost::asio::steady_timer flush_timer_;
  bool flush_scheduled_ = false;
  // pool_one_shot.cpp: runs outside the pipeline (AgentPool::run_once), killed on shutdown.
  std::set<std::shared_ptr<RuntimeRun>> one_shots_;
};

std::int64_t now_ms();
// The model a run of `agent` is recorded (and its sessions remembered) under: its own, else the
// project's default_coder_model for a coder, else "" (pool_start.cpp).
std::string model_of(const AgentConfig& agent, const ProjectConfig& config);

}  // namespace stork::agents
