// StateStore: what the server knows beyond the item files, in SQLite at .storkit/state.db (WAL):
// every run, every event of a run (per-run sequence numbers, so a client that reconnects asks
// for what it missed), token usage per run, and the session store (story, agent, model) → last
// session id, used to resume with --resume. At start-up, runs a crash left Pending or Running
// are found and marked Interrupted so they can be restarted with their session resumed.
//
// Synchronous by design: the agent pool calls it from its strand, so every call is one short
// transaction over prepared statements that are cached and reused. One owner at a time.
//
// .storkit/token_usage.jsonl (storkit's file, kept for compatibility) gets one line per
// record_token_usage call, keys in this order:
//   {"timestamp":"2026-11-21T10:00:00Z","story_id":"42_story_x","agent_name":"coder-1",
//    "model":"sonnet","session_id":"abc" (null when unknown),"usage":{"input_tokens":N,
//    "output_tokens":N,"cache_creation_input_tokens":N,"cache_read_input_tokens":N,
//    "total_cost_usd":X}}
// timestamp is recorded_at_ms in UTC to the second. Each line is one write(2) with O_APPEND, so
// concurrent writers never interleave.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "state/records.hpp"
#include "state/sqlite.hpp"

namespace stork::state {

class StateStore {
 public:
  // Opens (creating if needed) <project_root>/.storkit/state.db and brings its schema up to
  // date. Fails with an error naming the file when it is not a database, or was written by a
  // newer stork (schema version above ours).
  static StateResult<std::unique_ptr<StateStore>> open(const std::filesystem::path& project_root);
  // The same database opened read-only, as it is (open_project_database_read_only): for the
  // CLI's reports without a server. Its writes fail.
  static StateResult<std::unique_ptr<StateStore>> open_read_only(
      const std::filesystem::path& project_root);

  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  const std::filesystem::path& database_path() const { return db_.path(); }

  // ---- runs ----
  StateResult<std::int64_t> create_run(const NewRun& run, std::int64_t now_ms);  // Pending
  // Final states set ended_at to now_ms; other states clear it. Leaving Blocked clears
  // blocked_until. Fails when the run does not exist.
  StateResult<void> set_run_state(std::int64_t run_id, RunState state, std::int64_t now_ms,
                                  std::string_view exit_reason = {});
  StateResult<void> set_session_id(std::int64_t run_id, std::string_view session_id);
  // The model the agent reported (its init event), for runs whose roster names none.
  StateResult<void> set_model(std::int64_t run_id, std::string_view model);
  StateResult<void> set_blocked_until(std::int64_t run_id, std::optional<std::int64_t> ms);
  StateResult<std::optional<RunRecord>> run(std::int64_t run_id);
  // Newest first; only `story`'s runs when given.
  StateResult<std::vector<RunRecord>> runs(std::optional<std::string> story = {},
                                           std::size_t limit = 1000);
  // What a crash left behind: every Pending or Running run is set Interrupted (ended now,
  // exit_reason "interrupted while <state>") in one statement, and returned as it now is,
  // oldest first.
  StateResult<std::vector<RunRecord>> mark_unfinished_interrupted(std::int64_t now_ms);
  // Runs to resume at start-up: the newest run of each (story, agent) when it is Interrupted
  // (by a crash, marked by mark_unfinished_interrupted, or by an orderly shutdown), oldest
  // first.
  StateResult<std::vector<RunRecord>> resumable_runs();
  // Blocked runs, soonest blocked_until first.
  StateResult<std::vector<RunRecord>> blocked_runs();

  // ---- events ----
  // All or nothing, in one transaction. Per run, seq must be above the run's last_seq and
  // increase within the batch; a duplicate or out-of-order seq fails naming run and seq.
  StateResult<void> append_events(std::span<const EventRecord> events);
  // The run's events with seq > after_seq, in seq order, at most `limit`.
  StateResult<std::vector<EventRecord>> events_after(std::int64_t run_id, std::int64_t after_seq,
                                                     std::size_t limit = 10000);

  // ---- token usage ----
  // Stored in SQLite and appended as one line to .storkit/token_usage.jsonl (format above);
  // the row is committed only if the line was written.
  StateResult<void> record_token_usage(const TokenUsageRecord& usage);
  // Oldest first; only `story`'s records when given.
  StateResult<std::vector<TokenUsageRecord>> token_usage(std::optional<std::string> story = {});

  // ---- sessions: (story, agent, model) → the last session id ----
  StateResult<void> remember_session(std::string_view story, std::string_view agent,
                                     std::string_view model, std::string_view session_id,
                                     std::int64_t now_ms);
  StateResult<std::optional<std::string>> last_session(std::string_view story,
                                                       std::string_view agent,
                                                       std::string_view model);

  // ---- inbox: events and messages for an agent's next start on an item ----
  StateResult<void> add_inbox_entry(const InboxEntry& entry);
  // The entries of (story, agent), oldest first, deleted in the same transaction: each is
  // handed out exactly once.
  StateResult<std::vector<InboxEntry>> take_inbox(std::string_view story, std::string_view agent);

 private:
  StateStore(Database db, std::filesystem::path storkit_dir)
      : db_(std::move(db)), storkit_dir_(std::move(storkit_dir)) {}

  StateResult<std::vector<RunRecord>> read_runs(Statement& query);
  StateResult<void> expect_run_changed(std::int64_t run_id);
  StateResult<std::int64_t> last_seq_of(std::int64_t run_id);
  StateError event_conflict(const EventRecord& event, std::int64_t last_seq);

  Database db_;
  std::filesystem::path storkit_dir_;
};

}  // namespace stork::state
