// AgentPool: the agents of one project and their runs. It starts an agent on an item (in the
// item's own worktree, through the agent's runtime), records everything the run does, fans the
// events out to subscribers, and stops, waits for and resumes runs. All its state lives on one
// strand; each operation is one check-then-register step there (no TOCTOU, no mutex).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "agents/agent_event.hpp"
#include "agents/agent_status.hpp"
#include "agents/runtime/runtime.hpp"
#include "base/result.hpp"
#include "config/project_config.hpp"
#include "git/worktree_types.hpp"
#include "work/stage.hpp"

namespace stork::agents {

// One run of one agent on one item, as the pool reports it.
struct AgentInfo {
  std::string story_id;
  std::string agent_name;
  AgentStatus status = AgentStatus::Pending;
  std::int64_t run_id = 0;
  std::string runtime;
  std::string model;  // "" when neither the agent nor the project names one
  std::optional<std::string> session_id;
  std::filesystem::path worktree_path;  // empty until the worktree exists
  std::optional<int> pid;
  std::int64_t started_at_ms = 0;
  std::optional<std::int64_t> ended_at_ms;
  std::optional<std::int64_t> blocked_until_ms;  // Blocked: when it resumes
  std::string exit_reason;                       // why it ended, in words
  // Failed before the agent ever ran (no worktree, no runtime, the program cannot be
  // executed): a problem of the setup, not of the work, so it never counts as an attempt.
  bool setup_failure = false;
  std::int64_t events = 0;  // events recorded so far
};

struct PoolOptions {
  std::filesystem::path project_root;  // the directory that holds .storkit/
  std::string mcp_url = "http://127.0.0.1:3000/mcp";
  std::string mcp_token;  // written into worktrees' .mcp.json when the server requires one
  std::chrono::milliseconds stop_grace{3000};
  std::chrono::milliseconds rate_limit_margin{2000};  // added to a reset time before resuming
  std::size_t worker_threads = 2;  // the pool's own workers, when `workers` is empty
  // The app's shared worker pool for blocking work (worktrees, API transfers); empty: the pool
  // starts `worker_threads` threads of its own.
  boost::asio::any_io_executor workers;
  // The tools the API runtimes (openai, gemini) offer their model: stork's MCP tools and the
  // worktree tools (the app and `stork run` provide it; without one those runs get no tools).
  std::shared_ptr<ToolHost> tool_host;
  // The acp runtime's permission questions (stork's permission flow; the app provides it).
  std::shared_ptr<PermissionHost> permission_host;
  ApiRunOptions api;
};

struct StartRequest {
  std::string story;                          // full id or number
  std::optional<std::string> agent;           // none: pick a coder (or the item's stage agent)
  std::optional<std::string> resume_context;  // appended to the prompt, e.g. gate output
  bool resume_session = true;  // continue the last session of (item, agent, model) if any
};

// Why the pool refused or could not answer: `kind` for the adapters' switch, `message` for a
// person (rendered once, here in the pool), and the facts as fields, so that callers and tests
// act on them rather than on the text. Fields that do not apply stay empty.
struct PoolError {
  enum class Kind {
    UnknownStory,   // no such item, or an invalid id
    UnknownAgent,   // not in the roster
    StageMismatch,  // the agent's stage does not work on the item's stage
    Conflict,       // the agent or the item's stage is taken (see cause)
    Queued,         // no free coder: the item waits in 2_current for one
    NotFound,       // no run of that agent on that item
    Timeout,        // wait_for_agent gave up
    Runtime,        // the runtime cannot run this agent
    State,          // the state database, or git for a worktree, failed
    ShuttingDown,
  };
  // The rule behind a Conflict or Queued error.
  enum class Cause {
    None,
    AgentAlreadyOnStory,  // `agent` already has a `holder_status` run on `story`
    SameStage,            // `holder`, of the same `agent_stage`, is active on `story`
    AgentBusyElsewhere,   // `agent` is active on `busy_on`; `story` waits for it
    PreferredBusy,        // the item's front matter names `agent`, busy (on `busy_on` if known)
    AllBusy,              // every agent of `agent_stage` is busy
    CoderLimit,           // `active_coders` of `max_coders` coders are running
    NoneConfigured,       // no agent of `agent_stage` is in the roster (kind UnknownAgent)
    WorktreeInUse,        // `holder`'s run `holder_run` is preparing the item's worktree
    RunActive,            // `holder`'s run is `holder_status` on the item (worktree removal)
    WorktreeFailed,       // git or a component's setup failed: `worktree` (kind State)
  };

  Kind kind = Kind::Conflict;
  std::string message;
  Cause cause = Cause::None;
  std::string story;                      // the item (its full id once it is known)
  std::string agent;                      // the agent asked for, or picked
  std::optional<Stage> stage;             // the item's stage
  std::optional<AgentStage> agent_stage;  // the stage of `agent` (or of the agents looked for)
  std::string holder;                     // the agent whose run is in the way
  std::optional<std::int64_t> holder_run;
  std::optional<AgentStatus> holder_status;
  std::string busy_on;  // the item the agent works on instead
  bool queued = false;  // the item waits (in 2_current) until an agent is free
  int max_coders = 0;
  int active_coders = 0;
  std::optional<std::chrono::milliseconds> waited;  // Timeout: how long
  std::optional<WorktreeError> worktree;            // WorktreeFailed: git's own facts
};

template <class T>
using PoolResult = Result<T, PoolError>;

// One run of an agent outside the pipeline (the setup wizard's drafts): no item, no worktree,
// no run record; `cwd` is where it runs and its final message is the answer.
struct OneShotRequest {
  std::string agent;
  std::filesystem::path cwd;
  std::string prompt;
};

// What AgentPool::say did with a person's message.
struct MessageDelivery {
  std::string story_id;
  std::string agent_name;
  std::int64_t run_id = 0;    // the agent's latest run on the item: the `message` event is there
  bool live = false;          // the running agent reads it during this run
  std::string queued_reason;  // not live: why it waits for the agent's next start on the item
};

// One message of the project chat (ops/chat_ops.hpp) for its agent. The chat's runs are the
// pool's runs like any other (events, logs, cost, permission questions), with `key`
// ("chat-<id>", never an item id) as their story; they run in the project root, not a worktree.
struct ChatTurn {
  std::string key;
  std::string agent;
  std::string text;    // what the agent reads: the whole first prompt, or a follow-up
  bool fresh = false;  // true: a new session; false: resume the key's last session, if any
};

// What AgentPool::chat did: `live` when the running turn took the text (Claude Code adds it to
// its next request); else `run` is the new run that answers it.
struct ChatDelivery {
  AgentInfo run;
  bool live = false;
};

// Events of every run, in batches, on the pool's strand. Subscribers must not block or call
// back into the pool: copy what they need (the events are moved on once they return), post any
// further work, and return.
using PoolListener = std::function<void(const std::vector<AgentEvent>& events)>;

// Concurrency: every piece of pool state lives on one strand. Each public operation is a
// coroutine that runs its whole check-then-register step on that strand without suspending in
// between, so two starts of the same agent cannot both pass the checks (storkit's TOCTOU bugs
// 132 and 190 cannot happen by construction, and there is no mutex in the pool's logic).
// Blocking work (creating a worktree, running component setup, an API run's HTTP transfer)
// runs on worker threads and posts its result back to the strand.
//
// The rules themselves (stage match, one agent per stage per item, one item per agent, coder
// selection) are the pure functions of src/pipeline; the pool applies them to its own runs.
class AgentPool {
 public:
  class Impl;

  // Opens the project's state database and recovers nothing yet (see recover()).
  static Result<std::unique_ptr<AgentPool>, std::string> open(
      const boost::asio::any_io_executor& executor, std::shared_ptr<const ProjectConfig> config,
      PoolOptions options);
  ~AgentPool();
  AgentPool(const AgentPool&) = delete;
  AgentPool& operator=(const AgentPool&) = delete;

  // Registers the run and returns at once with status Pending; the worktree is prepared and
  // the process started in the background (failures end the run as Failed with an `error`
  // event). A coder started on a backlog item moves it to 2_current first, also when no coder
  // is free (then the error says the item is queued there).
  //
  // The answer waits until that move is recorded in git (the item's backlog file deleted in a
  // `storkit: start <id>` commit), so no deletion is left in the user's checkout for their own
  // `git commit -am` to sweep up: through the installed MoveRecorder, else on the pool's git lane.
  boost::asio::awaitable<PoolResult<AgentInfo>> start_agent(StartRequest request);

  // Records in git that `story` left a tracked stage (the start of a coder moved it 1_backlog →
  // 2_current) and calls `done`, from any thread, once it is recorded or given up on (the
  // recorder reports a failure itself). The pipeline installs one that commits through its one
  // commit queue for the main checkout; nullptr puts the pool's own (its git lane) back.
  using MoveRecorder = std::function<void(const StoryId& story, std::function<void()> done)>;
  boost::asio::awaitable<void> set_move_recorder(MoveRecorder recorder);

  // Stops the run (SIGTERM to its process group, SIGKILL after the grace); the worktree is
  // kept. Returns the run as it is after the stop took effect. A `reason` goes into the run's
  // exit_reason ("stopped: <reason>"; "stopped on request" without one).
  boost::asio::awaitable<PoolResult<AgentInfo>> stop_agent(std::string story, std::string agent,
                                                           std::string reason = {});

  // Returns when the run of `agent` on `story` is finished (completed, failed, stopped), at
  // once if it already is; Timeout after `timeout`.
  boost::asio::awaitable<PoolResult<AgentInfo>> wait_for_agent(std::string story, std::string agent,
                                                               std::chrono::milliseconds timeout);

  boost::asio::awaitable<std::vector<AgentInfo>> list_agents();

  // Every event of the latest run of `agent` on `story` so far, or those after `after_seq`.
  boost::asio::awaitable<PoolResult<std::vector<AgentEvent>>> drain_events(
      std::string story, std::string agent, std::int64_t after_seq = 0);

  // Idle agents of `stage` in roster order.
  boost::asio::awaitable<std::vector<std::string>> available_agents_for_stage(AgentStage stage);

  // Creates (or reuses) the item's worktree, as WorktreeManager::create does, for a person or a
  // tool: checked against the runs and queued on the pool's git lane in one step, so it never
  // races a run preparing the same worktree. Refused with Conflict (cause WorktreeInUse, the
  // run in `holder`/`holder_run`) while a run of the item is Pending; UnknownStory; State
  // (cause WorktreeFailed, `worktree` holding git's facts) when git or a setup step fails.
  boost::asio::awaitable<PoolResult<CreatedWorktree>> create_worktree_for(std::string story);

  // Runs the components' teardown and removes the item's worktree and branch, on the git lane.
  // Refused with Conflict (cause RunActive) while a run is active on the item (stop it first).
  // The item may be gone already: a full id is enough. Returns the teardown steps.
  boost::asio::awaitable<PoolResult<std::vector<StepOutput>>> remove_worktree_for(
      std::string story);

  // Forgets every run of `story` (its item was archived); active ones are stopped first.
  // Returns how many entries were removed.
  boost::asio::awaitable<std::size_t> remove_agents_for_story(std::string story);

  // Runs left Pending/Running by a crash become Interrupted and are started again, resuming
  // their sessions; rate-limit blocked runs get their resume timers back. Call once at start-up.
  boost::asio::awaitable<std::vector<AgentInfo>> recover();

  // SIGKILLs every agent process group now and marks their runs Interrupted (so the next
  // start-up resumes them); waits for the processes to be reaped. For shutdown.
  boost::asio::awaitable<void> shutdown();

  // Appends an event that happened outside the run's process (a permission request and its
  // decision) to the latest run of `agent` on `story` (a full id), numbered, stored and fanned
  // out like the run's own events. Returns the run's id; NotFound when there is no run.
  boost::asio::awaitable<PoolResult<std::int64_t>> record_event(std::string story,
                                                                std::string agent, std::string type,
                                                                std::string payload);

  // A person's message for `agent` on `story` (a full id). Delivered into the live run when its
  // runtime can take input now (RuntimeRun::send_message); else kept in state.db and put in
  // the <recent-events> block of the agent's next start or resume on the item. Either way a
  // `message` event (text, delivery) is recorded on the latest run. NotFound when the agent
  // never ran on the item. The caller checks the text (ops/message_ops).
  boost::asio::awaitable<PoolResult<MessageDelivery>> say(std::string story, std::string agent,
                                                          std::string text);

  // The project chat's message: into the live run of `turn.agent` on `turn.key` when it can
  // take input now, else a new run of the agent in the project root (resuming the key's
  // session unless `fresh`), confined by chat_agent_config. One strand step, so two messages
  // never start two runs. UnknownAgent; Conflict while the key's run is still starting;
  // ShuttingDown; State.
  boost::asio::awaitable<PoolResult<ChatDelivery>> chat(ChatTurn turn);

  // Something happened to `story` (moved, blocked, unblocked, merge_failed: `kind`; `text` for
  // the agent): kept for each agent that has run on it and has no live run now, for their next
  // start. Any thread; returns at once (the work is posted to the pool's strand).
  void note_item_event(std::string story, std::string kind, std::string text);

  // Runs the roster's `agent` once with `prompt` in `cwd`, read-only: claude-code may use only
  // its reading tools (Read, Glob, Grep, LS; never --dangerously-skip-permissions, no MCP), the
  // API runtimes get no tools. The answer is the run's final message (its `result` text, else
  // its last assistant text, else its plain output: a `command` agent), or why it failed (unknown
  // agent, the runtime could not start, a failed exit, no text). Killed on shutdown like every run.
  boost::asio::awaitable<Result<std::string, std::string>> run_once(OneShotRequest request);

  // Subscribe to the events of every run. Returns an id for unsubscribe.
  boost::asio::awaitable<std::uint64_t> subscribe(PoolListener listener);
  boost::asio::awaitable<void> unsubscribe(std::uint64_t id);
  // Changes whenever a run starts, changes status or model, ends (its token usage recorded
  // first) or is dropped, so a cache of the roster and the costs is current while this number
  // is unchanged. Any thread.
  std::uint64_t runs_version() const;

  // Called on the strand whenever a run reaches a final state (the pipeline's completion
  // gate hooks in here).
  void on_run_finished(std::function<void(const AgentInfo&)> handler);

  // Replaces the roster (reload_agent_config). Running runs keep the config they started with.
  boost::asio::awaitable<void> set_config(std::shared_ptr<const ProjectConfig> config);

 private:
  explicit AgentPool(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace stork::agents
