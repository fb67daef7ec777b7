#include "state/schema.hpp"

#include <array>
#include <string>

namespace stork::state {
namespace {

// Append new migrations; never edit one that has shipped (databases already ran it).
// STRICT tables: a wrong type is an error, not a silently stored string.
constexpr std::array<std::string_view, 8> kMigrations{
    // 1: runs, events, token usage, sessions.
    R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  story TEXT NOT NULL,
  agent TEXT NOT NULL,
  model TEXT NOT NULL,
  runtime TEXT NOT NULL,
  session_id TEXT,
  state TEXT NOT NULL,
  started_at_ms INTEGER NOT NULL,
  ended_at_ms INTEGER,
  resumes_run INTEGER REFERENCES runs(id),
  blocked_until_ms INTEGER,
  exit_reason TEXT NOT NULL DEFAULT '',
  last_seq INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX runs_by_story ON runs(story, id);
CREATE INDEX runs_by_state ON runs(state);

-- WITHOUT ROWID: events are read by (run_id, seq) ranges, so the key is the table's order.
CREATE TABLE events (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  seq INTEGER NOT NULL,
  time_ms INTEGER NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE token_usage (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  story TEXT NOT NULL,
  agent TEXT NOT NULL,
  model TEXT NOT NULL,
  session_id TEXT,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_creation_input_tokens INTEGER NOT NULL,
  cache_read_input_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  recorded_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX token_usage_by_story ON token_usage(story, id);

CREATE TABLE sessions (
  story TEXT NOT NULL,
  agent TEXT NOT NULL,
  model TEXT NOT NULL,
  session_id TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (story, agent, model)
) STRICT, WITHOUT ROWID;
)sql",
    // 2: the pipeline's journal (jobs recorded before they act) and its event stream.
    R"sql(
CREATE TABLE pipeline_jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  story TEXT NOT NULL,
  agent TEXT NOT NULL DEFAULT '',
  step TEXT NOT NULL,
  base_before TEXT,
  commit_id TEXT,
  detail TEXT NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX pipeline_jobs_by_step ON pipeline_jobs(step, id);
CREATE INDEX pipeline_jobs_by_story ON pipeline_jobs(story, id);

CREATE TABLE pipeline_events (
  seq INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  story TEXT NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL
) STRICT;
)sql",
    // 3: the conversations of API runs (openai, gemini), so that a resumed session continues.
    R"sql(
CREATE TABLE conversations (
  session_id TEXT PRIMARY KEY,
  story TEXT NOT NULL,
  agent TEXT NOT NULL,
  runtime TEXT NOT NULL,
  model TEXT NOT NULL,
  messages TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
)sql",
    // 4: notifications (the board's list; `key` makes one per event) and their outbox, one row
    // per channel, delivered at least once; the cursor says which pipeline events were seen.
    R"sql(
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  time_ms INTEGER NOT NULL,
  event TEXT NOT NULL,
  story TEXT NOT NULL,
  title TEXT NOT NULL,
  detail TEXT NOT NULL,
  link TEXT NOT NULL,
  read_at_ms INTEGER
) STRICT;
CREATE TABLE notify_outbox (
  id INTEGER PRIMARY KEY,
  notification_id INTEGER NOT NULL REFERENCES notifications(id),
  channel TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  sent_at_ms INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  UNIQUE (notification_id, channel)
) STRICT;
CREATE INDEX notify_outbox_pending ON notify_outbox(next_attempt_ms) WHERE sent_at_ms IS NULL;
CREATE TABLE notify_cursor (
  source TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
)sql",
    // 5: the chat bot (docs/chat-matrix.md): its sync position and login per account, what it
    // knows of each room, and the command events it has taken (none is answered twice).
    R"sql(
CREATE TABLE chat_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE chat_rooms (
  room TEXT PRIMARY KEY,
  direct INTEGER NOT NULL DEFAULT 0,
  ambient INTEGER NOT NULL DEFAULT 0,
  refused_encrypted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE TABLE chat_handled (
  event_id TEXT PRIMARY KEY,
  handled_at_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
)sql",
    // 6: what happened to an agent's item, and what people said to it, while no run of it
    // was live: handed to its next start or resume once (agents/recent_events.hpp).
    R"sql(
CREATE TABLE agent_inbox (
  id INTEGER PRIMARY KEY,
  story TEXT NOT NULL,
  agent TEXT NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  time_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX agent_inbox_owner ON agent_inbox(story, agent, id);
)sql",
    // 7: the setup wizard (docs/wizard.md): each step's state, its draft and where the draft
    // came from, the hash of the file it will replace as it was when drafted, the gate's result
    // for the gate step; and the `storkit: setup` commit once every step is settled.
    R"sql(
CREATE TABLE wizard_steps (
  step TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  draft TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  base_hash TEXT NOT NULL DEFAULT '',
  feedback TEXT NOT NULL DEFAULT '',
  gate_hash TEXT NOT NULL DEFAULT '',
  gate_passed INTEGER NOT NULL DEFAULT 0,
  gate_outcome TEXT NOT NULL DEFAULT '',
  gate_output TEXT NOT NULL DEFAULT '',
  written TEXT NOT NULL DEFAULT '',
  updated_at_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE wizard_commit (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  commit_id TEXT NOT NULL,
  time_ms INTEGER NOT NULL
) STRICT;
)sql",
    // 8: the project chat (docs/project-chat.md): conversations with the `[chat] agent` and the
    // people's messages in them; the agent's side is its runs' events (story "chat-<id>").
    R"sql(
CREATE TABLE chat_conversations (
  id INTEGER PRIMARY KEY,
  agent TEXT NOT NULL,
  title TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
) STRICT;
CREATE TABLE chat_messages (
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES chat_conversations(id),
  time_ms INTEGER NOT NULL,
  text TEXT NOT NULL,
  run_id INTEGER
) STRICT;
CREATE INDEX chat_messages_conversation ON chat_messages(conversation_id, id);
)sql",
};

StateResult<int> schema_version(Database& db) {
  auto statement = db.prepare("PRAGMA user_version");
  if (!statement) return fail(std::move(statement).take_error());
  auto row = statement->step();
  if (!row) return fail(std::move(row).take_error());
  return static_cast<int>(statement->column_int64(0));
}

StateResult<void> apply(Database& db, int version, std::string_view sql) {
  auto transaction = Transaction::begin(db);
  if (!transaction) return fail(std::move(transaction).take_error());
  // Another process may have migrated while this one waited for the write lock.
  auto current = schema_version(db);
  if (!current) return fail(std::move(current).take_error());
  if (*current >= version) return {};
  if (auto applied = db.exec(sql); !applied) return applied;
  if (auto bumped = db.exec("PRAGMA user_version = " + std::to_string(version)); !bumped)
    return bumped;
  return transaction->commit();
}

}  // namespace

StateResult<Database> open_project_database(const std::filesystem::path& project_root) {
  auto storkit_dir = project_root / ".storkit";
  std::error_code ec;
  std::filesystem::create_directory(storkit_dir, ec);
  if (ec) return fail(StateError{"cannot create " + storkit_dir.string() + ": " + ec.message(), 0});
  auto db = Database::open(storkit_dir / "state.db");
  if (!db) return fail(std::move(db).take_error());
  if (auto migrated = migrate(*db); !migrated) return fail(std::move(migrated).take_error());
  return db;
}

StateResult<Database> open_project_database_read_only(const std::filesystem::path& project_root) {
  const auto path = project_root / ".storkit" / "state.db";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return fail(StateError{"state database " + path.string() + ": not found", 0});
  auto db = Database::open_read_only(path);
  if (!db) return fail(std::move(db).take_error());
  auto version = schema_version(*db);
  if (!version) return fail(std::move(version).take_error());
  if (*version != latest_schema_version()) {
    return fail(StateError{"state database " + path.string() + " has schema version " +
                               std::to_string(*version) + ", this stork reads version " +
                               std::to_string(latest_schema_version()) +
                               " (`stork serve` migrates it)",
                           0});
  }
  return db;
}

int latest_schema_version() {
  return static_cast<int>(kMigrations.size());
}

StateResult<void> migrate(Database& db) {
  auto current = schema_version(db);
  if (!current) return fail(std::move(current).take_error());
  if (*current > latest_schema_version()) {
    return fail(StateError{"state database " + db.path().string() + " has schema version " +
                               std::to_string(*current) + ", newer than this stork knows (" +
                               std::to_string(latest_schema_version()) +
                               "); it was written by a newer stork: upgrade stork, or move the "
                               "file away to start with an empty state",
                           0});
  }
  for (int version = *current + 1; version <= latest_schema_version(); ++version) {
    auto applied = apply(db, version, kMigrations[static_cast<std::size_t>(version - 1)]);
    if (!applied) return applied;
  }
  return {};
}

}  // namespace stork::state
