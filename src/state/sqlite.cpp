#include "state/sqlite.hpp"

#include <sqlite3.h>

namespace stork::state {
namespace {

// SQLITE_TRANSIENT without the C-style cast inside SQLite's macro: SQLite copies the bytes.
// NOLINTNEXTLINE(performance-no-int-to-ptr): SQLite's API defines this sentinel as the pointer -1.
const auto kTransient = reinterpret_cast<sqlite3_destructor_type>(std::intptr_t{-1});

constexpr std::size_t kMaxQuotedSql = 160;

// SQL as it appears in an error: quoted, and cut short when it is a whole migration script.
std::string quote_sql(std::string_view sql) {
  // Appended piece by piece: `"`" + std::string(...)` trips g++ 12's -Wrestrict at -O3.
  std::string quoted = "`";
  quoted += sql.substr(0, kMaxQuotedSql);
  if (sql.size() > kMaxQuotedSql) quoted += "...";
  quoted += '`';
  return quoted;
}

std::string file_of(sqlite3* db) {
  const char* name = sqlite3_db_filename(db, "main");
  return name != nullptr && *name != '\0' ? name : ":memory:";
}

StateError statement_error(sqlite3_stmt* handle, std::string_view what) {
  sqlite3* db = sqlite3_db_handle(handle);
  return {"state database " + file_of(db) + ": " + std::string(what) + " " +
              quote_sql(sqlite3_sql(handle)) + ": " + sqlite3_errmsg(db),
          sqlite3_extended_errcode(db)};
}

// Opens the file with `flags`, naming it in any error; the handle reports extended result
// codes and waits up to 5 s for another process's lock.
StateResult<sqlite3*> open_handle(const std::filesystem::path& path, int flags) {
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    StateError error{"state database " + path.string() + ": cannot open: " +
                         (handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc)),
                     rc};
    sqlite3_close_v2(handle);
    return fail(std::move(error));
  }
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, 5000);
  return handle;
}

}  // namespace

// ---- Statement ----

Statement::~Statement() {
  sqlite3_finalize(handle_);
}

Statement::Statement(Statement&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), bind_error_(std::move(other.bind_error_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    bind_error_ = std::move(other.bind_error_);
  }
  return *this;
}

void Statement::note_bind(int rc, int index) {
  if (rc == SQLITE_OK || bind_error_) return;
  bind_error_ = statement_error(handle_, "cannot bind parameter " + std::to_string(index) + " of");
}

Statement& Statement::bind(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(handle_, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  note_bind(sqlite3_bind_double(handle_, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  // A null data pointer would bind SQL NULL; an empty string must stay an empty string.
  const char* data = value.data() != nullptr ? value.data() : "";
  note_bind(sqlite3_bind_text64(handle_, index, data, value.size(), kTransient, SQLITE_UTF8),
            index);
  return *this;
}

Statement& Statement::bind(int index, std::optional<std::int64_t> value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(handle_, index), index);
  return *this;
}

StateResult<Step> Statement::step() {
  if (bind_error_) return fail(*bind_error_);
  int rc = sqlite3_step(handle_);
  if (rc == SQLITE_ROW) return Step::Row;
  if (rc == SQLITE_DONE) return Step::Done;
  return fail(statement_error(handle_, "cannot run"));
}

StateResult<void> Statement::run() {
  for (;;) {
    auto step_result = step();
    if (!step_result) return fail(std::move(step_result).take_error());
    if (*step_result == Step::Done) return {};
  }
}

std::int64_t Statement::column_int64(int index) const {
  return sqlite3_column_int64(handle_, index);
}

double Statement::column_double(int index) const {
  return sqlite3_column_double(handle_, index);
}

std::string_view Statement::column_text(int index) const {
  const unsigned char* text = sqlite3_column_text(handle_, index);
  if (text == nullptr) return {};
  auto size = static_cast<std::size_t>(sqlite3_column_bytes(handle_, index));
  return {reinterpret_cast<const char*>(text), size};
}

bool Statement::column_is_null(int index) const {
  return sqlite3_column_type(handle_, index) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::column_optional_int64(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_int64(index);
}

std::optional<std::string> Statement::column_optional_text(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return std::string(column_text(index));
}

void Statement::reset() {
  sqlite3_reset(handle_);  // returns the last step's error, already reported by step()
  bind_error_.reset();
}

void Statement::clear_bindings() {
  sqlite3_clear_bindings(handle_);
  bind_error_.reset();
}

std::string_view Statement::sql() const {
  return sqlite3_sql(handle_);
}

// ---- Database ----

StateResult<Database> Database::open_read_only(const std::filesystem::path& path) {
  auto handle = open_handle(path, SQLITE_OPEN_READONLY);
  if (!handle) return fail(std::move(handle).take_error());
  Database db;
  db.handle_ = *handle;
  db.path_ = path;
  // Reading the header: garbage in the file is reported here, naming it.
  auto probe = db.prepare("PRAGMA user_version");
  if (!probe) return fail(std::move(probe).take_error());
  if (auto row = probe->step(); !row) return fail(std::move(row).take_error());
  return db;
}

StateResult<Database> Database::open(const std::filesystem::path& path) {
  auto handle = open_handle(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!handle) return fail(std::move(handle).take_error());
  Database db;
  db.handle_ = *handle;
  db.path_ = path;

  // The first statement reads the file header: garbage in the file is reported here.
  auto mode = db.prepare("PRAGMA journal_mode=WAL");
  if (!mode) return fail(std::move(mode).take_error());
  auto row = mode->step();
  if (!row) return fail(std::move(row).take_error());
  if (*row != Step::Row || mode->column_text(0) != "wal") {
    return fail(StateError{"state database " + path.string() +
                               ": cannot switch to WAL journal mode (the file system may not "
                               "support shared memory); journal mode is " +
                               std::string(mode->column_text(0)),
                           0});
  }
  auto pragmas = db.exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON");
  if (!pragmas) return fail(std::move(pragmas).take_error());
  return db;
}

Database::~Database() {
  close();
}

Database::Database(Database&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      path_(std::move(other.path_)),
      cache_(std::move(other.cache_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    handle_ = std::exchange(other.handle_, nullptr);
    path_ = std::move(other.path_);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

void Database::close() {
  cache_.clear();  // statements first: a connection with live statements does not close
  sqlite3_close_v2(handle_);
  handle_ = nullptr;
}

StateError Database::error(std::string_view what) const {
  return {"state database " + path_.string() + ": " + std::string(what) + ": " +
              sqlite3_errmsg(handle_),
          sqlite3_extended_errcode(handle_)};
}

StateResult<void> Database::exec(std::string_view sql) {
  std::string text(sql);  // sqlite3_exec wants a NUL-terminated string
  int rc = sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return fail(error("cannot run " + quote_sql(sql)));
  return {};
}

StateResult<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* handle = nullptr;
  int rc =
      sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()), 0, &handle, nullptr);
  if (rc != SQLITE_OK) return fail(error("cannot prepare " + quote_sql(sql)));
  return Statement(handle);
}

StateResult<BorrowedStatement> Database::cached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* handle = nullptr;
    // PERSISTENT: the statement lives as long as the connection, so SQLite need not take its
    // memory from the lookaside pool meant for short-lived ones.
    int rc = sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &handle, nullptr);
    if (rc != SQLITE_OK) return fail(error("cannot prepare " + quote_sql(sql)));
    it = cache_.emplace(std::string(sql), Statement(handle)).first;
  }
  it->second.clear_bindings();
  return BorrowedStatement(it->second);
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(handle_);
}

int Database::changes() const {
  return sqlite3_changes(handle_);
}

bool Database::in_transaction() const {
  return sqlite3_get_autocommit(handle_) == 0;
}

// ---- Transaction ----

StateResult<Transaction> Transaction::begin(Database& db) {
  auto statement = db.cached("BEGIN IMMEDIATE");
  if (!statement) return fail(std::move(statement).take_error());
  auto started = (*statement)->run();
  if (!started) return fail(std::move(started).take_error());
  return Transaction(db);
}

Transaction::~Transaction() {
  // A failed statement may already have made SQLite roll back (SQLITE_FULL, SQLITE_IOERR...).
  if (db_ == nullptr || done_ || !db_->in_transaction()) return;
  auto statement = db_->cached("ROLLBACK");
  // Nothing to report to: a failed rollback leaves the transaction for SQLite to roll back
  // when the next one begins or the connection closes.
  if (statement) (void)(*statement)->run();
}

StateResult<void> Transaction::commit() {
  auto statement = db_->cached("COMMIT");
  if (!statement) return fail(std::move(statement).take_error());
  auto committed = (*statement)->run();
  if (!committed) return committed;
  done_ = true;
  return {};
}

}  // namespace stork::state
