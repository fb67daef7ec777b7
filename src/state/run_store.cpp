// StateStore: opening, and the runs table. Events and usage/sessions live in their own files.
#include "state/run_store.hpp"

#include <algorithm>
#include <limits>

#include "state/schema.hpp"

namespace stork::state {
namespace {

constexpr std::string_view kRunColumns =
    "id, story, agent, model, runtime, session_id, state, started_at_ms, ended_at_ms, "
    "resumes_run, blocked_until_ms, exit_reason, last_seq";

// The statement text is the statement cache's key: callers keep it in a function-local
// constant so it is built once.
std::string select_runs(std::string_view rest) {
  return "SELECT " + std::string(kRunColumns) + " FROM runs " + std::string(rest);
}

StateResult<RunRecord> read_run(const Statement& row) {
  RunRecord run;
  run.id = row.column_int64(0);
  run.story = row.column_text(1);
  run.agent = row.column_text(2);
  run.model = row.column_text(3);
  run.runtime = row.column_text(4);
  run.session_id = row.column_optional_text(5);
  auto state = parse_run_state(row.column_text(6));
  if (!state) {
    return fail(StateError{"run " + std::to_string(run.id) + " has an unknown state '" +
                               std::string(row.column_text(6)) + "'",
                           0});
  }
  run.state = *state;
  run.started_at_ms = row.column_int64(7);
  run.ended_at_ms = row.column_optional_int64(8);
  run.resumes_run = row.column_optional_int64(9);
  run.blocked_until_ms = row.column_optional_int64(10);
  run.exit_reason = row.column_text(11);
  run.last_seq = row.column_int64(12);
  return run;
}

std::int64_t as_sql_limit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
}

}  // namespace

StateResult<std::unique_ptr<StateStore>> StateStore::open(
    const std::filesystem::path& project_root) {
  auto db = open_project_database(project_root);
  if (!db) return fail(std::move(db).take_error());
  return std::unique_ptr<StateStore>(new StateStore(std::move(*db), project_root / ".storkit"));
}

StateResult<std::unique_ptr<StateStore>> StateStore::open_read_only(
    const std::filesystem::path& project_root) {
  auto db = open_project_database_read_only(project_root);
  if (!db) return fail(std::move(db).take_error());
  return std::unique_ptr<StateStore>(new StateStore(std::move(*db), project_root / ".storkit"));
}

StateResult<std::vector<RunRecord>> StateStore::read_runs(Statement& query) {
  std::vector<RunRecord> result;
  for (;;) {
    auto step = query.step();
    if (!step) return fail(std::move(step).take_error());
    if (*step == Step::Done) return result;
    auto run = read_run(query);
    if (!run) return fail(std::move(run).take_error());
    result.push_back(std::move(*run));
  }
}

StateResult<void> StateStore::expect_run_changed(std::int64_t run_id) {
  if (db_.changes() == 0) {
    return fail(StateError{
        "state database " + db_.path().string() + ": no run " + std::to_string(run_id), 0});
  }
  return {};
}

StateResult<std::int64_t> StateStore::create_run(const NewRun& run, std::int64_t now_ms) {
  auto insert = db_.cached(
      "INSERT INTO runs (story, agent, model, runtime, session_id, state, started_at_ms, "
      "resumes_run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!insert) return fail(std::move(insert).take_error());
  (*insert)
      ->bind(1, std::string_view(run.story))
      .bind(2, std::string_view(run.agent))
      .bind(3, std::string_view(run.model))
      .bind(4, std::string_view(run.runtime))
      .bind(5, run.session_id)
      .bind(6, to_string(RunState::Pending))
      .bind(7, now_ms)
      .bind(8, run.resumes_run);
  if (auto done = (*insert)->run(); !done) return fail(std::move(done).take_error());
  return db_.last_insert_rowid();
}

StateResult<void> StateStore::set_run_state(std::int64_t run_id, RunState state,
                                            std::int64_t now_ms, std::string_view exit_reason) {
  auto update = db_.cached(
      "UPDATE runs SET state = ?2, ended_at_ms = ?3, exit_reason = ?4, "
      "blocked_until_ms = CASE WHEN ?2 = ?5 THEN blocked_until_ms END WHERE id = ?1");
  if (!update) return fail(std::move(update).take_error());
  (*update)
      ->bind(1, run_id)
      .bind(2, to_string(state))
      .bind(3, is_final(state) ? std::optional<std::int64_t>(now_ms) : std::nullopt)
      .bind(4, exit_reason)
      .bind(5, to_string(RunState::Blocked));
  if (auto done = (*update)->run(); !done) return done;
  return expect_run_changed(run_id);
}

StateResult<void> StateStore::set_session_id(std::int64_t run_id, std::string_view session_id) {
  auto update = db_.cached("UPDATE runs SET session_id = ?2 WHERE id = ?1");
  if (!update) return fail(std::move(update).take_error());
  (*update)->bind(1, run_id).bind(2, session_id);
  if (auto done = (*update)->run(); !done) return done;
  return expect_run_changed(run_id);
}

StateResult<void> StateStore::set_model(std::int64_t run_id, std::string_view model) {
  auto update = db_.cached("UPDATE runs SET model = ?2 WHERE id = ?1");
  if (!update) return fail(std::move(update).take_error());
  (*update)->bind(1, run_id).bind(2, model);
  if (auto done = (*update)->run(); !done) return done;
  return expect_run_changed(run_id);
}

StateResult<void> StateStore::set_blocked_until(std::int64_t run_id,
                                                std::optional<std::int64_t> ms) {
  auto update = db_.cached("UPDATE runs SET blocked_until_ms = ?2 WHERE id = ?1");
  if (!update) return fail(std::move(update).take_error());
  (*update)->bind(1, run_id).bind(2, ms);
  if (auto done = (*update)->run(); !done) return done;
  return expect_run_changed(run_id);
}

StateResult<std::optional<RunRecord>> StateStore::run(std::int64_t run_id) {
  static const std::string kSql = select_runs("WHERE id = ?1");
  auto query = db_.cached(kSql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, run_id);
  auto found = read_runs(**query);
  if (!found) return fail(std::move(found).take_error());
  if (found->empty()) return std::optional<RunRecord>();
  return std::optional<RunRecord>(std::move(found->front()));
}

StateResult<std::vector<RunRecord>> StateStore::runs(std::optional<std::string> story,
                                                     std::size_t limit) {
  static const std::string kOfStory = select_runs("WHERE story = ?1 ORDER BY id DESC LIMIT ?2");
  static const std::string kAll = select_runs("ORDER BY id DESC LIMIT ?2");
  auto query = db_.cached(story ? kOfStory : kAll);
  if (!query) return fail(std::move(query).take_error());
  if (story) (*query)->bind(1, std::string_view(*story));
  (*query)->bind(2, as_sql_limit(limit));
  return read_runs(**query);
}

StateResult<std::vector<RunRecord>> StateStore::mark_unfinished_interrupted(std::int64_t now_ms) {
  // One statement: the update and the list of what it changed cannot disagree.
  static const std::string kSql =
      "UPDATE runs SET state = ?2, ended_at_ms = ?1, exit_reason = 'interrupted while ' || state "
      "WHERE state IN (?3, ?4) RETURNING " +
      std::string(kRunColumns);
  auto update = db_.cached(kSql);
  if (!update) return fail(std::move(update).take_error());
  (*update)
      ->bind(1, now_ms)
      .bind(2, to_string(RunState::Interrupted))
      .bind(3, to_string(RunState::Pending))
      .bind(4, to_string(RunState::Running));
  auto changed = read_runs(**update);
  if (!changed) return changed;
  std::sort(changed->begin(), changed->end(),
            [](const RunRecord& a, const RunRecord& b) { return a.id < b.id; });
  return changed;
}

StateResult<std::vector<RunRecord>> StateStore::resumable_runs() {
  // The newest run of each (story, agent) when it is Interrupted: a later run of the same
  // agent on the same item (a resume, or a new start) supersedes it.
  static const std::string kSql = select_runs(
      "AS r WHERE state = ?1 AND NOT EXISTS (SELECT 1 FROM runs AS n WHERE n.story = r.story "
      "AND n.agent = r.agent AND n.id > r.id) ORDER BY id");
  auto query = db_.cached(kSql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, to_string(RunState::Interrupted));
  return read_runs(**query);
}

StateResult<std::vector<RunRecord>> StateStore::blocked_runs() {
  static const std::string kSql = select_runs("WHERE state = ?1 ORDER BY blocked_until_ms, id");
  auto query = db_.cached(kSql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, to_string(RunState::Blocked));
  return read_runs(**query);
}

}  // namespace stork::state
