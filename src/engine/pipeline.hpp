// Pipeline: the server side of the work-item pipeline. It owns everything that happens to an
// item between the agents' runs: the completion of a coder's work (the zero-commit and
// uncommitted-changes checks, the gate, the QA decision, retries and blocking), auto-assign of
// free agents (at start-up, after every change, and when the work directory changes on disk),
// promotion of backlog items whose dependencies are done, the merge queue (squash in a separate
// workspace, gate on the merged tree, compare-and-swap of the base branch, verification), the
// archive sweep, and recovery after a crash from its SQLite journal.
//
// Concurrency: all pipeline state lives on one strand. Public operations hop onto it
// (stork::spawn_on); git and the scans of all item files run on the workers (stork::offload:
// the app's shared pool, PipelineOptions::workers) so a slow `git` never stalls the strand.
// Every write of an item file (flags, moves) is made from the strand, so two writers never
// overwrite each other's edits. The agent pool is the only other actor; the pipeline talks to
// it through its awaitable API and hears of finished runs through on_run_finished.
//
// Every outcome is an event (see PipelineEvent), stored in the journal with a global sequence
// number and fanned out to subscribers, and the facts storkit keeps in front matter
// (retry_count, blocked, review_hold, merge_failure) are written there.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/result.hpp"
#include "config/project_config.hpp"
#include "work/stage.hpp"
#include "work/work_item.hpp"

namespace stork::agents {
class AgentPool;
}

namespace stork::engine {

struct PipelineOptions {
  std::filesystem::path project_root;
  std::chrono::milliseconds watch_debounce{150};
  std::chrono::milliseconds sweep_interval{60000};  // archive sweep
  bool watch = true;                                // inotify on .storkit/work
  // The app's shared pool for blocking work (git, item-file scans); when empty the pipeline
  // makes a pool of its own with worker_threads threads.
  boost::asio::any_io_executor workers;
  std::size_t worker_threads = 2;
};

// One thing that happened, e.g. {type "moved", story "3_story_x", payload {"from":"current",
// "to":"merge","reason":"gate passed (qa: server)"}}. Types: docs/pipeline.md.
struct PipelineEvent {
  std::int64_t seq = 0;
  std::int64_t time_ms = 0;
  std::string story;
  std::string type;
  std::string payload;  // a JSON object
};

using PipelineListener = std::function<void(const PipelineEvent&)>;

// A refusal or failure of a pipeline operation. The facts are fields (tests and adapters act on
// them); `message` renders them for people and is never parsed.
struct PipelineError {
  enum class Kind {
    NotFound,      // no such item
    InvalidInput,  // bad stage, empty reason, ...: `field` names the argument
    WrongStage,    // the item is not where the operation needs it: `stage` says where it is
    Busy,          // e.g. a completion check of the item is already running
    Failed,        // git, the file system or the state database failed (message says how)
  };
  PipelineError() = default;
  // {kind, message} as before the facts became fields; what the error is about comes third.
  PipelineError(Kind error_kind, std::string text, std::string item = {})
      : kind(error_kind), message(std::move(text)), story(std::move(item)) {}

  Kind kind = Kind::Failed;
  std::string message;
  std::string story;           // the item concerned, as the caller named it or its full id
  std::optional<Stage> stage;  // WrongStage: where the item is
  std::string field;           // InvalidInput: the argument that is wrong ("notes", "name", ...)
};

template <class T>
using PipelineResult = Result<T, PipelineError>;

// What a completion check decided (report_completion's answer, and the event's payload).
struct CompletionOutcome {
  bool passed = false;
  std::string summary;  // one line: "gate passed; moved to merge (qa: server)"
  Stage stage = Stage::Current;
  std::string gate_output_tail;  // when the gate ran
  bool blocked = false;
  int retry_count = 0;
};

struct MergeJobView {
  std::int64_t id = 0;
  std::string story;
  std::string step;  // squashing, gating, advancing, finishing, done, failed
  std::string detail;
  std::optional<std::string> commit;
  std::int64_t updated_at_ms = 0;
};

struct MergeStatus {
  std::optional<MergeJobView> running;
  std::vector<std::string> queued;   // stories waiting, in order
  std::vector<MergeJobView> recent;  // the latest finished jobs, newest first
};

class Pipeline {
 public:
  class Impl;

  static Result<std::unique_ptr<Pipeline>, std::string> open(
      const boost::asio::any_io_executor& executor, std::shared_ptr<const ProjectConfig> config,
      agents::AgentPool& pool, PipelineOptions options);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Recovers what a crash left (open journal jobs, the merge workspace), starts the watcher
  // and the sweep, and runs the first auto-assign. Call once, after the pool's recover().
  boost::asio::awaitable<void> start();
  // Stops the watcher and timers; waits for a running gate or merge step to end at most
  // `grace` (the journal makes whatever is cut short resume at the next start).
  boost::asio::awaitable<void> stop(std::chrono::milliseconds grace);

  // Re-reads the items and plans again (promotions, auto-assign, merge queue). Coalesced:
  // calls while one runs make it run once more afterwards.
  boost::asio::awaitable<void> reconcile();

  // ---- operations for agents (MCP) and people (REST, CLI) ----
  // The same checks and gate as when the coder's process ends; the answer says what happened.
  boost::asio::awaitable<PipelineResult<CompletionOutcome>> report_completion(std::string story,
                                                                              std::string agent);
  boost::asio::awaitable<PipelineResult<void>> request_qa(std::string story);
  boost::asio::awaitable<PipelineResult<void>> approve_qa(std::string story);
  boost::asio::awaitable<PipelineResult<void>> reject_qa(std::string story, std::string notes);
  // Moves to 4_merge (if not there) and queues the merge; clears a merge failure (a
  // mergemaster that fixed the branch calls this again). Returns the queue position (0 =
  // running or next).
  boost::asio::awaitable<PipelineResult<std::size_t>> merge(std::string story);
  boost::asio::awaitable<PipelineResult<void>> report_merge_failure(std::string story,
                                                                    std::string reason);
  boost::asio::awaitable<PipelineResult<void>> unblock(std::string story);
  boost::asio::awaitable<PipelineResult<void>> block(std::string story, std::string reason);
  // A manual move, checked against the legal transitions.
  boost::asio::awaitable<PipelineResult<Stage>> move(std::string story, Stage to);
  // Loads the item, lets `edit` change it, saves it: an edit serialised with the pipeline's own.
  boost::asio::awaitable<PipelineResult<WorkItem>> edit_item(
      std::string story, std::function<Result<void, std::string>(WorkItem&)> edit);
  // Writes a new item into 1_backlog and commits it (`storkit: create <id>`).
  boost::asio::awaitable<PipelineResult<WorkItem>> create_item(NewItem item);

  // Commits exactly `paths` (relative to the project root) with `message` through the one
  // commit queue of the main checkout (the setup wizard's `storkit: setup`), so it never races
  // an item commit for .git/index.lock. The commit id; "" when the paths hold no change.
  boost::asio::awaitable<PipelineResult<std::string>> commit_paths(std::vector<std::string> paths,
                                                                   std::string message);

  boost::asio::awaitable<MergeStatus> merge_status();
  // True when nothing of the pipeline's own is under way: no completion check, no merge
  // queued or running, no reconcile. (Agents may still be running; ask the pool.)
  boost::asio::awaitable<bool> idle();
  boost::asio::awaitable<std::vector<PipelineEvent>> events_after(std::int64_t seq,
                                                                  std::size_t limit = 10000);
  // Listeners run on the pipeline's strand and must not block.
  boost::asio::awaitable<std::uint64_t> subscribe(PipelineListener listener);
  boost::asio::awaitable<void> unsubscribe(std::uint64_t id);
  // Changes after every event and every change seen under .storkit/work (by hand too), so a
  // cache of what the item files say is current while this number is unchanged. Any thread.
  std::uint64_t work_version() const;

  boost::asio::awaitable<void> set_config(std::shared_ptr<const ProjectConfig> config);

 private:
  explicit Pipeline(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

std::string_view to_string(PipelineError::Kind kind);

}  // namespace stork::engine
