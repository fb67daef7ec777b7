#include "state/journal.hpp"

#include <algorithm>
#include <limits>

#include "state/schema.hpp"

namespace stork::state {
namespace {

constexpr std::string_view kJobColumns =
    "id, kind, story, agent, step, base_before, commit_id, detail, created_at_ms, updated_at_ms";

std::optional<JobKind> parse_job_kind(std::string_view text) {
  if (text == "completion") return JobKind::Completion;
  if (text == "merge") return JobKind::Merge;
  return std::nullopt;
}

std::int64_t as_sql_limit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
}

}  // namespace

std::string_view to_string(JobKind kind) {
  return kind == JobKind::Completion ? "completion" : "merge";
}

StateResult<std::unique_ptr<Journal>> Journal::open(const std::filesystem::path& project_root) {
  auto db = open_project_database(project_root);
  if (!db) return fail(std::move(db).take_error());
  return std::unique_ptr<Journal>(new Journal(std::move(*db)));
}

StateResult<std::int64_t> Journal::begin_job(JobKind kind, std::string_view story,
                                             std::string_view agent, std::string_view step,
                                             std::int64_t now_ms) {
  static const std::string sql =
      "INSERT INTO pipeline_jobs (kind, story, agent, step, created_at_ms, updated_at_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
  auto insert = db_.cached(sql);
  if (!insert) return fail(std::move(insert).take_error());
  (*insert)->bind(1, to_string(kind)).bind(2, story).bind(3, agent).bind(4, step).bind(5, now_ms);
  if (auto ran = (*insert)->run(); !ran) return fail(std::move(ran).take_error());
  return db_.last_insert_rowid();
}

StateResult<void> Journal::expect_changed(std::int64_t job) {
  if (db_.changes() == 0) {
    return fail(
        StateError{"state database " + db_.path().string() + ": no job " + std::to_string(job), 0});
  }
  return {};
}

StateResult<void> Journal::set_step(std::int64_t job, std::string_view step, std::int64_t now_ms,
                                    std::string_view detail) {
  static const std::string sql =
      "UPDATE pipeline_jobs SET step = ?2, detail = ?3, updated_at_ms = ?4 WHERE id = ?1";
  auto update = db_.cached(sql);
  if (!update) return fail(std::move(update).take_error());
  (*update)->bind(1, job).bind(2, step).bind(3, detail).bind(4, now_ms);
  if (auto ran = (*update)->run(); !ran) return ran;
  return expect_changed(job);
}

StateResult<void> Journal::set_commits(std::int64_t job, std::string_view base_before,
                                       std::string_view commit, std::int64_t now_ms) {
  static const std::string sql =
      "UPDATE pipeline_jobs SET base_before = ?2, commit_id = ?3, updated_at_ms = ?4 WHERE id = ?1";
  auto update = db_.cached(sql);
  if (!update) return fail(std::move(update).take_error());
  (*update)->bind(1, job).bind(2, base_before).bind(3, commit).bind(4, now_ms);
  if (auto ran = (*update)->run(); !ran) return ran;
  return expect_changed(job);
}

StateResult<std::vector<JobRecord>> Journal::read_jobs(Statement& query) {
  std::vector<JobRecord> jobs;
  for (;;) {
    auto step = query.step();
    if (!step) return fail(std::move(step).take_error());
    if (*step == Step::Done) return jobs;
    JobRecord job;
    job.id = query.column_int64(0);
    auto kind = parse_job_kind(query.column_text(1));
    if (!kind) {
      return fail(StateError{"pipeline job " + std::to_string(job.id) + " has an unknown kind '" +
                                 std::string(query.column_text(1)) + "'",
                             0});
    }
    job.kind = *kind;
    job.story = query.column_text(2);
    job.agent = query.column_text(3);
    job.step = query.column_text(4);
    job.base_before = query.column_optional_text(5);
    job.commit = query.column_optional_text(6);
    job.detail = query.column_text(7);
    job.created_at_ms = query.column_int64(8);
    job.updated_at_ms = query.column_int64(9);
    jobs.push_back(std::move(job));
  }
}

StateResult<std::optional<JobRecord>> Journal::job(std::int64_t id) {
  static const std::string sql =
      "SELECT " + std::string(kJobColumns) + " FROM pipeline_jobs WHERE id = ?1";
  auto query = db_.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, id);
  auto jobs = read_jobs(**query);
  if (!jobs) return fail(std::move(jobs).take_error());
  if (jobs->empty()) return std::optional<JobRecord>{};
  return std::optional<JobRecord>{std::move(jobs->front())};
}

StateResult<std::vector<JobRecord>> Journal::open_jobs() {
  static const std::string sql = "SELECT " + std::string(kJobColumns) +
                                 " FROM pipeline_jobs WHERE step NOT IN ('done', 'failed') "
                                 "ORDER BY id";
  auto query = db_.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  return read_jobs(**query);
}

StateResult<std::vector<JobRecord>> Journal::jobs(std::optional<std::string> story,
                                                  std::size_t limit) {
  static const std::string all_sql =
      "SELECT " + std::string(kJobColumns) + " FROM pipeline_jobs ORDER BY id DESC LIMIT ?1";
  static const std::string story_sql = "SELECT " + std::string(kJobColumns) +
                                       " FROM pipeline_jobs WHERE story = ?2 "
                                       "ORDER BY id DESC LIMIT ?1";
  auto query = db_.cached(story ? story_sql : all_sql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, as_sql_limit(limit));
  if (story) (*query)->bind(2, std::string_view(*story));
  return read_jobs(**query);
}

StateResult<PipelineEventRecord> Journal::append_event(PipelineEventRecord event) {
  static const std::string sql =
      "INSERT INTO pipeline_events (time_ms, story, type, payload) VALUES (?1, ?2, ?3, ?4)";
  auto insert = db_.cached(sql);
  if (!insert) return fail(std::move(insert).take_error());
  (*insert)
      ->bind(1, event.time_ms)
      .bind(2, std::string_view(event.story))
      .bind(3, std::string_view(event.type))
      .bind(4, std::string_view(event.payload));
  if (auto ran = (*insert)->run(); !ran) return fail(std::move(ran).take_error());
  event.seq = db_.last_insert_rowid();
  return event;
}

StateResult<std::vector<PipelineEventRecord>> Journal::events_after(std::int64_t after_seq,
                                                                    std::size_t limit) {
  static const std::string sql =
      "SELECT seq, time_ms, story, type, payload FROM pipeline_events WHERE seq > ?1 "
      "ORDER BY seq LIMIT ?2";
  auto query = db_.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, after_seq).bind(2, as_sql_limit(limit));
  return read_events(**query);
}

StateResult<std::vector<PipelineEventRecord>> Journal::events_of(std::string_view story,
                                                                 std::size_t limit) {
  static const std::string sql =
      "SELECT * FROM (SELECT seq, time_ms, story, type, payload FROM pipeline_events "
      "WHERE story = ?1 ORDER BY seq DESC LIMIT ?2) ORDER BY seq";
  auto query = db_.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, story).bind(2, as_sql_limit(limit));
  return read_events(**query);
}

StateResult<std::vector<PipelineEventRecord>> Journal::read_events(Statement& query) {
  std::vector<PipelineEventRecord> events;
  for (;;) {
    auto step = query.step();
    if (!step) return fail(std::move(step).take_error());
    if (*step == Step::Done) return events;
    events.push_back(PipelineEventRecord{
        query.column_int64(0), query.column_int64(1), std::string(query.column_text(2)),
        std::string(query.column_text(3)), std::string(query.column_text(4))});
  }
}

StateResult<std::int64_t> Journal::last_event_seq() {
  static const std::string sql = "SELECT COALESCE(MAX(seq), 0) FROM pipeline_events";
  auto query = db_.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  auto step = (*query)->step();
  if (!step) return fail(std::move(step).take_error());
  return (*query)->column_int64(0);
}

}  // namespace stork::state
