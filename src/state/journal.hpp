// Journal: the pipeline's write-ahead record in .storkit/state.db. A job (a coder's completion,
// a merge) is written here before it acts and its step is updated before each next action, so
// that after a crash the server knows exactly what was under way and can finish or undo it.
// The same file holds the pipeline's event stream (every outcome, with a global sequence
// number, so a board that reconnects asks for what it missed).
//
// Its own SQLite connection, used from the pipeline's strand only; the pool's StateStore has
// another (WAL lets both work at once).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "state/sqlite.hpp"

namespace stork::state {

enum class JobKind { Completion, Merge };
std::string_view to_string(JobKind kind);

// Steps every kind shares; kinds add their own in between (strings, so a newer step name in an
// older database reads back as written).
inline constexpr std::string_view kJobDone = "done";
inline constexpr std::string_view kJobFailed = "failed";

struct JobRecord {
  std::int64_t id = 0;
  JobKind kind = JobKind::Merge;
  std::string story;
  std::string agent;
  std::string step;
  std::optional<std::string> base_before;  // merges: the base commit the squash was made on
  std::optional<std::string> commit;       // merges: the squash commit
  std::string detail;                      // why it failed, or what it is doing
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;

  bool finished() const { return step == kJobDone || step == kJobFailed; }
};

struct PipelineEventRecord {
  std::int64_t seq = 0;  // assigned by append_event
  std::int64_t time_ms = 0;
  std::string story;
  std::string type;
  std::string payload;  // JSON object text
};

class Journal {
 public:
  static StateResult<std::unique_ptr<Journal>> open(const std::filesystem::path& project_root);

  StateResult<std::int64_t> begin_job(JobKind kind, std::string_view story, std::string_view agent,
                                      std::string_view step, std::int64_t now_ms);
  StateResult<void> set_step(std::int64_t job, std::string_view step, std::int64_t now_ms,
                             std::string_view detail = {});
  StateResult<void> set_commits(std::int64_t job, std::string_view base_before,
                                std::string_view commit, std::int64_t now_ms);
  StateResult<std::optional<JobRecord>> job(std::int64_t id);
  // Jobs not done or failed, oldest first.
  StateResult<std::vector<JobRecord>> open_jobs();
  // Newest first; only `story`'s jobs when given.
  StateResult<std::vector<JobRecord>> jobs(std::optional<std::string> story = {},
                                           std::size_t limit = 100);

  // Stores the event and returns it with its sequence number.
  StateResult<PipelineEventRecord> append_event(PipelineEventRecord event);
  StateResult<std::vector<PipelineEventRecord>> events_after(std::int64_t after_seq,
                                                             std::size_t limit = 10000);
  StateResult<std::int64_t> last_event_seq();
  // One item's newest `limit` events, oldest first (an item's timeline; a full scan of the
  // table, which is fine at the size a journal reaches between prunes).
  StateResult<std::vector<PipelineEventRecord>> events_of(std::string_view story,
                                                          std::size_t limit = 2000);

 private:
  explicit Journal(Database db) : db_(std::move(db)) {}
  StateResult<std::vector<JobRecord>> read_jobs(Statement& query);
  StateResult<void> expect_changed(std::int64_t job);
  static StateResult<std::vector<PipelineEventRecord>> read_events(Statement& query);

  Database db_;
};

}  // namespace stork::state
