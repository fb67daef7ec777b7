// NotificationStore: notifications and their outbox in .storkit/state.db. A notification is
// stored once per event (its idempotency `key` is unique) together with one outbox row per
// channel in the same transaction, so a crash never leaves one without the other; a row stays
// pending until a delivery succeeded (at least once), and is retried at `next_attempt_ms`.
// Its own SQLite connection, used by one owner at a time (the Notifier's strand, or the CLI).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "state/sqlite.hpp"

namespace stork::state {

struct NotificationRecord {
  std::int64_t id = 0;
  std::string key;  // one notification per event: "pipeline:42", "run:7:rate_limit:rejected"
  std::int64_t time_ms = 0;
  std::string event;  // blocked, merge_failed, needs_review, ... (docs/notifications.md)
  std::string story;
  std::string title;
  std::string detail;
  std::string link;  // the item on the board; "" without [server] public_url
  std::optional<std::int64_t> read_at_ms;
};

// One pending delivery of a notification to a channel.
struct OutboxEntry {
  std::int64_t id = 0;
  NotificationRecord notification;
  std::string channel;
  int attempts = 0;
  std::int64_t next_attempt_ms = 0;
  std::string last_error;
};

class NotificationStore {
 public:
  static StateResult<std::unique_ptr<NotificationStore>> open(
      const std::filesystem::path& project_root);

  // Stores `record` and queues it for `channels`, and moves the cursor of `cursor_source` to
  // `cursor_seq` when given, all in one transaction. An existing key changes nothing: the
  // answer is then empty (the event was seen before, its deliveries are already queued).
  StateResult<std::optional<NotificationRecord>> add(
      NotificationRecord record, const std::vector<std::string>& channels, std::int64_t now_ms,
      const std::optional<std::pair<std::string, std::int64_t>>& cursor = std::nullopt);

  // Pending deliveries whose time has come, oldest first.
  StateResult<std::vector<OutboxEntry>> due(std::int64_t now_ms, std::size_t limit = 64);
  // When the next pending delivery is due; none when nothing is pending.
  StateResult<std::optional<std::int64_t>> next_due();
  StateResult<void> mark_sent(std::int64_t outbox_id, std::int64_t now_ms);
  StateResult<void> mark_failed(std::int64_t outbox_id, std::string_view error,
                                std::int64_t next_attempt_ms);
  // Pending rows, all channels, for status output.
  StateResult<std::int64_t> pending_count();

  // Newest first.
  StateResult<std::vector<NotificationRecord>> list(std::size_t limit, bool unread_only);
  StateResult<std::int64_t> unread_count();
  // Marks `ids` (all unread when empty) read; returns how many changed.
  StateResult<std::int64_t> mark_read(const std::vector<std::int64_t>& ids, std::int64_t now_ms);

  StateResult<std::optional<std::int64_t>> cursor(std::string_view source);
  StateResult<void> set_cursor(std::string_view source, std::int64_t seq);
  // The pipeline journal's newest event (0 when empty): where a new cursor starts.
  StateResult<std::int64_t> last_pipeline_seq();
  // How many pipeline events of each type happened since `since_ms` (the daily digest).
  StateResult<std::map<std::string, std::int64_t>> pipeline_event_counts(std::int64_t since_ms);

 private:
  explicit NotificationStore(Database db) : db_(std::move(db)) {}
  StateResult<std::vector<NotificationRecord>> read_notifications(Statement& query);

  Database db_;
};

}  // namespace stork::state
