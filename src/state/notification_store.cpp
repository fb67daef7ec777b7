#include "state/notification_store.hpp"

#include <algorithm>
#include <limits>

#include "state/schema.hpp"

namespace stork::state {
namespace {

constexpr std::string_view kNotificationColumns =
    "n.id, n.key, n.time_ms, n.event, n.story, n.title, n.detail, n.link, n.read_at_ms";

std::int64_t as_sql_limit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
}

// Columns 0..8 as kNotificationColumns lists them.
NotificationRecord read_record(const Statement& row) {
  return NotificationRecord{row.column_int64(0),
                            std::string(row.column_text(1)),
                            row.column_int64(2),
                            std::string(row.column_text(3)),
                            std::string(row.column_text(4)),
                            std::string(row.column_text(5)),
                            std::string(row.column_text(6)),
                            std::string(row.column_text(7)),
                            row.column_optional_int64(8)};
}

StateResult<std::int64_t> single_int(Database& db, const std::string& sql) {
  auto query = db.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  auto step = (*query)->step();
  if (!step) return fail(std::move(step).take_error());
  return (*query)->column_int64(0);
}

}  // namespace

StateResult<std::unique_ptr<NotificationStore>> NotificationStore::open(
    const std::filesystem::path& project_root) {
  auto db = open_project_database(project_root);
  if (!db) return fail(std::move(db).take_error());
  return std::unique_ptr<NotificationStore>(new NotificationStore(std::move(*db)));
}

StateResult<std::optional<NotificationRecord>> NotificationStore::add(
    NotificationRecord record, const std::vector<std::string>& channels, std::int64_t now_ms,
    const std::optional<std::pair<std::string, std::int64_t>>& cursor) {
  auto transaction = Transaction::begin(db_);
  if (!transaction) return fail(std::move(transaction).take_error());
  static const std::string insert_sql =
      "INSERT INTO notifications (key, time_ms, event, story, title, detail, link) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (key) DO NOTHING";
  auto insert = db_.cached(insert_sql);
  if (!insert) return fail(std::move(insert).take_error());
  (*insert)
      ->bind(1, std::string_view(record.key))
      .bind(2, record.time_ms)
      .bind(3, std::string_view(record.event))
      .bind(4, std::string_view(record.story))
      .bind(5, std::string_view(record.title))
      .bind(6, std::string_view(record.detail))
      .bind(7, std::string_view(record.link));
  if (auto ran = (*insert)->run(); !ran) return fail(std::move(ran).take_error());
  std::optional<NotificationRecord> added;
  if (db_.changes() > 0) {
    record.id = db_.last_insert_rowid();
    static const std::string queue_sql =
        "INSERT INTO notify_outbox (notification_id, channel, next_attempt_ms) VALUES (?1, ?2, ?3)";
    for (const auto& channel : channels) {
      auto queue = db_.cached(queue_sql);
      if (!queue) return fail(std::move(queue).take_error());
      (*queue)->bind(1, record.id).bind(2, std::string_view(channel)).bind(3, now_ms);
      if (auto ran = (*queue)->run(); !ran) return fail(std::move(ran).take_error());
    }
    added = std::move(record);
  }
  if (cursor) {
    if (auto moved = set_cursor(cursor->first, cursor->second); !moved)
      return fail(std::move(moved).take_error());
  }
  if (auto committed = transaction->commit(); !committed)
    return fail(std::move(committed).take_error());
  return added;
}

StateResult<std::vector<OutboxEntry>> NotificationStore::due(std::int64_t now_ms,
                                                             std::size_t limit) {
  static const std::string sql =
      "SELECT " + std::string(kNotificationColumns) +
      ", o.id, o.channel, o.attempts, o.next_attempt_ms, o.last_error FROM notify_outbox o "
      "JOIN notifications n ON n.id = o.notification_id WHERE o.sent_at_ms IS NULL AND "
      "o.next_attempt_ms <= ?1 ORDER BY o.next_attempt_ms, o.id LIMIT ?2";
  auto query = db_.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, now_ms).bind(2, as_sql_limit(limit));
  std::vector<OutboxEntry> entries;
  for (;;) {
    auto step = (*query)->step();
    if (!step) return fail(std::move(step).take_error());
    if (*step == Step::Done) return entries;
    const Statement& row = **query;
    entries.push_back(OutboxEntry{row.column_int64(9), read_record(row),
                                  std::string(row.column_text(10)),
                                  static_cast<int>(row.column_int64(11)), row.column_int64(12),
                                  std::string(row.column_text(13))});
  }
}

StateResult<std::optional<std::int64_t>> NotificationStore::next_due() {
  static const std::string sql =
      "SELECT MIN(next_attempt_ms) FROM notify_outbox WHERE sent_at_ms IS NULL";
  auto query = db_.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  auto step = (*query)->step();
  if (!step) return fail(std::move(step).take_error());
  return (*query)->column_optional_int64(0);
}

StateResult<void> NotificationStore::mark_sent(std::int64_t outbox_id, std::int64_t now_ms) {
  static const std::string sql =
      "UPDATE notify_outbox SET sent_at_ms = ?2, attempts = attempts + 1, last_error = '' "
      "WHERE id = ?1";
  auto update = db_.cached(sql);
  if (!update) return fail(std::move(update).take_error());
  (*update)->bind(1, outbox_id).bind(2, now_ms);
  return (*update)->run();
}

StateResult<void> NotificationStore::mark_failed(std::int64_t outbox_id, std::string_view error,
                                                 std::int64_t next_attempt_ms) {
  static const std::string sql =
      "UPDATE notify_outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_ms = ?3 "
      "WHERE id = ?1";
  auto update = db_.cached(sql);
  if (!update) return fail(std::move(update).take_error());
  (*update)->bind(1, outbox_id).bind(2, error).bind(3, next_attempt_ms);
  return (*update)->run();
}

StateResult<std::int64_t> NotificationStore::pending_count() {
  return single_int(db_, "SELECT COUNT(*) FROM notify_outbox WHERE sent_at_ms IS NULL");
}

StateResult<std::vector<NotificationRecord>> NotificationStore::read_notifications(
    Statement& query) {
  std::vector<NotificationRecord> records;
  for (;;) {
    auto step = query.step();
    if (!step) return fail(std::move(step).take_error());
    if (*step == Step::Done) return records;
    records.push_back(read_record(query));
  }
}

StateResult<std::vector<NotificationRecord>> NotificationStore::list(std::size_t limit,
                                                                     bool unread_only) {
  static const std::string sql = "SELECT " + std::string(kNotificationColumns) +
                                 " FROM notifications n WHERE (?2 = 0 OR n.read_at_ms IS NULL) "
                                 "ORDER BY n.id DESC LIMIT ?1";
  auto query = db_.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, as_sql_limit(limit)).bind(2, unread_only ? 1 : 0);
  return read_notifications(**query);
}

StateResult<std::int64_t> NotificationStore::unread_count() {
  return single_int(db_, "SELECT COUNT(*) FROM notifications WHERE read_at_ms IS NULL");
}

StateResult<std::int64_t> NotificationStore::mark_read(const std::vector<std::int64_t>& ids,
                                                       std::int64_t now_ms) {
  if (ids.empty()) {
    static const std::string all_sql =
        "UPDATE notifications SET read_at_ms = ?1 WHERE read_at_ms IS NULL";
    auto update = db_.cached(all_sql);
    if (!update) return fail(std::move(update).take_error());
    (*update)->bind(1, now_ms);
    if (auto ran = (*update)->run(); !ran) return fail(std::move(ran).take_error());
    return std::int64_t{db_.changes()};
  }
  auto transaction = Transaction::begin(db_);
  if (!transaction) return fail(std::move(transaction).take_error());
  static const std::string one_sql =
      "UPDATE notifications SET read_at_ms = ?2 WHERE id = ?1 AND read_at_ms IS NULL";
  std::int64_t changed = 0;
  for (auto id : ids) {
    auto update = db_.cached(one_sql);
    if (!update) return fail(std::move(update).take_error());
    (*update)->bind(1, id).bind(2, now_ms);
    if (auto ran = (*update)->run(); !ran) return fail(std::move(ran).take_error());
    changed += db_.changes();
  }
  if (auto committed = transaction->commit(); !committed)
    return fail(std::move(committed).take_error());
  return changed;
}

StateResult<std::optional<std::int64_t>> NotificationStore::cursor(std::string_view source) {
  static const std::string sql = "SELECT seq FROM notify_cursor WHERE source = ?1";
  auto query = db_.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, source);
  auto step = (*query)->step();
  if (!step) return fail(std::move(step).take_error());
  if (*step == Step::Done) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*query)->column_int64(0)};
}

StateResult<void> NotificationStore::set_cursor(std::string_view source, std::int64_t seq) {
  static const std::string sql =
      "INSERT INTO notify_cursor (source, seq) VALUES (?1, ?2) "
      "ON CONFLICT (source) DO UPDATE SET seq = MAX(seq, excluded.seq)";
  auto upsert = db_.cached(sql);
  if (!upsert) return fail(std::move(upsert).take_error());
  (*upsert)->bind(1, source).bind(2, seq);
  return (*upsert)->run();
}

StateResult<std::int64_t> NotificationStore::last_pipeline_seq() {
  return single_int(db_, "SELECT COALESCE(MAX(seq), 0) FROM pipeline_events");
}

StateResult<std::map<std::string, std::int64_t>> NotificationStore::pipeline_event_counts(
    std::int64_t since_ms) {
  static const std::string sql =
      "SELECT type, COUNT(*) FROM pipeline_events WHERE time_ms >= ?1 GROUP BY type";
  auto query = db_.cached(sql);
  if (!query) return fail(std::move(query).take_error());
  (*query)->bind(1, since_ms);
  std::map<std::string, std::int64_t> counts;
  for (;;) {
    auto step = (*query)->step();
    if (!step) return fail(std::move(step).take_error());
    if (*step == Step::Done) return counts;
    counts.emplace(std::string((*query)->column_text(0)), (*query)->column_int64(1));
  }
}

}  // namespace stork::state
